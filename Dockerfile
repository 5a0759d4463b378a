FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph graph
COPY ingest ingest
COPY api api
COPY queries queries
COPY viz viz
COPY data data
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["skillgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
