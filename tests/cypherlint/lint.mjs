// Lint Cypher statements with Neo4j's own parser and semantic analysis
// (@neo4j-cypher/language-support), as if sent to a Neo4j 5 server.
//
// stdin:  JSON array of Cypher strings.
// stdout: JSON array (same order) of arrays of diagnostics
//         {"severity": "error"|"warning", "message": str, "line": int, "column": int}
//         with 1-based line and column.
//
// The schema registers only the Neo4j 5 built-in functions and procedures
// (taken from the package's own `testData.mockSchema`, which is a dump of a
// real Neo4j 5 server's SHOW FUNCTIONS / SHOW PROCEDURES). Functions that are
// not Neo4j built-ins (LadybugDB's label(), list_contains(), APOC, GDS...) are
// reported as errors. No labels, relationship types, property keys or graph
// schema are given, so the linter never warns that they are "not in the
// database". Every parameter ($x) is declared, so parameters are never flagged.
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const CYPHER_VERSION = 'CYPHER 5';
// Procedure namespaces that ship with Neo4j itself (not plugins like apoc/gds).
const BUILTIN_PROCEDURE_PREFIXES = ['db.', 'dbms.', 'tx.', 'cdc.'];
// DiagnosticSeverity from the LSP spec.
const SEVERITY = { 1: 'error', 2: 'warning' };

function builtinFunctions() {
  const all = testData.mockSchema.functions[CYPHER_VERSION];
  // `id` is deprecated in Neo4j 5 but still valid; the "Function id is
  // deprecated." warning still comes from Neo4j's semantic analysis anyway,
  // so keep the registry as shipped.
  return Object.fromEntries(
    Object.entries(all).filter(([, fn]) => fn.isBuiltIn === true),
  );
}

function builtinProcedures() {
  const all = testData.mockSchema.procedures[CYPHER_VERSION];
  return Object.fromEntries(
    Object.entries(all).filter(([name]) =>
      BUILTIN_PROCEDURE_PREFIXES.some((p) => name.startsWith(p)),
    ),
  );
}

// Any parameter name is "declared": the linter only checks `!== undefined`.
const anyParameter = new Proxy(
  {},
  { get: (_target, key) => (typeof key === 'string' ? {} : undefined) },
);

const dbSchema = {
  defaultLanguage: CYPHER_VERSION,
  functions: { [CYPHER_VERSION]: builtinFunctions() },
  procedures: { [CYPHER_VERSION]: builtinProcedures() },
  parameters: anyParameter,
};

// Safety net in case a future package version warns about schema elements
// even when none are given.
// Those look like "Label Foo is not present in the database...",
// "Relationship type BAR is not present..." or "zzz is not present...".
function isSchemaWarning(d) {
  return (
    d.severity !== 1 &&
    d.message.includes('is not present in the database') &&
    !/^(Function|Procedure) /.test(d.message)
  );
}

function toDiagnostic(d) {
  return {
    severity: SEVERITY[d.severity] ?? 'warning',
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
  };
}

function lintOne(query) {
  try {
    const { diagnostics } = lintCypherQuery(query, dbSchema, {
      consoleCommandsEnabled: false,
    });
    return diagnostics
      .filter((d) => !isSchemaWarning(d))
      .map(toDiagnostic);
  } catch (err) {
    return [
      { severity: 'error', message: `linter crashed: ${err}`, line: 1, column: 1 },
    ];
  }
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function main() {
  const input = JSON.parse(await readStdin());
  if (!Array.isArray(input) || input.some((q) => typeof q !== 'string')) {
    throw new Error('stdin must be a JSON array of strings');
  }
  process.stdout.write(JSON.stringify(input.map(lintOne)));
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(2);
});
