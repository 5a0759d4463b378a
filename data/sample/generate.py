#!/usr/bin/env python3
"""Deterministic generator for the skillgraph sample dataset.

Everything in this dataset is FICTIONAL: organisations, projects and courses
are invented.  Cities, countries, EU programme names and standards are real.

Run:  python data/sample/generate.py
Writes members.csv, projects.csv, training_offers.csv, competences.csv,
priorities.csv and poll_responses.csv next to this file, and the manifest of planted
features to tests/data/sample_planted.json.
Standard library only; fixed seed, so output is byte-identical between runs.

The script also self-checks the planted features (see docs/sample-data.md)
and aborts with an AssertionError if any of them got broken by an edit.
"""

from __future__ import annotations

import csv
import json
import random
import re
import unicodedata
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 20260115
OUT = Path(__file__).resolve().parent
#: The manifest of planted features, read by the tests.
PLANTED = OUT.parents[1] / "tests" / "data" / "sample_planted.json"
rng = random.Random(SEED)

# --------------------------------------------------------------------------
# Competences: (id, label, alt_labels, group, topic phrase used in texts)
# --------------------------------------------------------------------------
COMPETENCES = [
    # electrification
    (
        "c-hv-safety",
        "High-voltage safety",
        "HV safety;electrical safety for EVs;high voltage qualification",
        "electrification",
        "safe de-energising, isolation checks and work permits on high-voltage vehicle systems",
    ),
    (
        "c-ev-powertrain",
        "Electric powertrain systems",
        "e-drive;electric drivetrain;EV powertrain",
        "electrification",
        "the architecture and operation of electric drive units, inverters and e-motors",
    ),
    (
        "c-power-electronics",
        "Power electronics",
        "inverters;DC-DC converters",
        "electrification",
        "the design and testing of inverters, DC-DC converters and on-board chargers",
    ),
    (
        "c-ev-charging",
        "Charging infrastructure",
        "EV charging;charging stations;EVSE",
        "electrification",
        "installing, commissioning and maintaining AC and DC charging points",
    ),
    (
        "c-emotor-design",
        "Electric motor design",
        "e-motor design;traction motor design",
        "electrification",
        "electromagnetic design, winding technologies and cooling of traction motors",
    ),
    (
        "c-ev-maintenance",
        "EV maintenance and repair",
        "electric vehicle servicing;EV after-sales",
        "electrification",
        "diagnosis, servicing and repair routines for battery-electric and hybrid cars",
    ),
    (
        "c-hv-wiring",
        "High-voltage wiring harness",
        "HV harness;cable harness design",
        "electrification",
        "designing, routing, assembling and testing high-voltage cable harnesses",
    ),
    # batteries
    (
        "c-bms",
        "Battery management systems",
        "BMS;battery management",
        "batteries",
        "cell balancing, state-of-charge estimation and protection logic of traction battery packs",
    ),
    (
        "c-cell-manufacturing",
        "Battery cell manufacturing",
        "cell production;gigafactory operations",
        "batteries",
        "electrode coating, cell assembly, formation and ageing in battery cell plants",
    ),
    (
        "c-battery-safety",
        "Battery safety",
        "battery hazard handling;thermal runaway prevention",
        "batteries",
        "lithium-ion hazards, thermal runaway, storage, transport and emergency response",
    ),
    (
        "c-battery-diagnostics",
        "Battery diagnostics and testing",
        "battery testing;state of health assessment",
        "batteries",
        "state-of-health measurement, fault diagnosis and end-of-line testing of battery packs",
    ),
    (
        "c-battery-recycling",
        "Battery recycling",
        "battery end-of-life;black mass recovery",
        "batteries",
        "dismantling, material recovery and hydrometallurgical recycling of spent batteries",
    ),
    (
        "c-battery-second-life",
        "Second-life battery repurposing",
        "battery repurposing;second life batteries",
        "batteries",
        "grading, repurposing and certifying used EV batteries for stationary storage",
    ),
    (
        "c-battery-thermal",
        "Battery thermal management",
        "battery cooling;thermal management systems",
        "batteries",
        "cooling concepts, thermal simulation and heat management of battery systems",
    ),
    # software-defined vehicles
    (
        "c-sdv-architecture",
        "Software-defined vehicle architecture",
        "SDV architecture;zonal E/E architecture",
        "software-defined-vehicles",
        "centralised and zonal E/E architectures and service-oriented vehicle software",
    ),
    (
        "c-embedded-sw",
        "Embedded software development",
        "embedded C;embedded systems programming",
        "software-defined-vehicles",
        "programming microcontrollers and real-time embedded software for vehicle ECUs",
    ),
    (
        "c-autosar",
        "AUTOSAR",
        "AUTOSAR Classic;AUTOSAR Adaptive",
        "software-defined-vehicles",
        "AUTOSAR Classic and Adaptive platforms, configuration and basic software integration",
    ),
    (
        "c-ota-updates",
        "Over-the-air software updates",
        "OTA;remote software updates",
        "software-defined-vehicles",
        "secure delivery, campaign management and validation of over-the-air software updates",
    ),
    (
        "c-vehicle-data",
        "Vehicle data analytics",
        "connected vehicle data;fleet data analysis",
        "software-defined-vehicles",
        "collecting, processing and analysing connected-vehicle and fleet data",
    ),
    (
        "c-devops-auto",
        "Automotive DevOps and CI/CD",
        "continuous integration;DevOps",
        "software-defined-vehicles",
        "continuous integration, automated test pipelines and release management for vehicle software",
    ),
    (
        "c-aspice",
        "Automotive SPICE",
        "ASPICE;software process assessment",
        "software-defined-vehicles",
        "process assessment and improvement of software development according to Automotive SPICE",
    ),
    # ADAS
    (
        "c-adas-calibration",
        "ADAS sensor calibration",
        "ADAS calibration;sensor alignment",
        "adas",
        "static and dynamic calibration of cameras, radar and lidar after repairs",
    ),
    (
        "c-sensor-fusion",
        "Sensor fusion",
        "multi-sensor fusion;perception fusion",
        "adas",
        "combining camera, radar and lidar data for robust environment perception",
    ),
    (
        "c-functional-safety",
        "Functional safety (ISO 26262)",
        "ISO 26262;functional safety",
        "adas",
        "hazard analysis, safety goals and the safety lifecycle of ISO 26262",
    ),
    (
        "c-sotif",
        "Safety of the intended functionality",
        "SOTIF;ISO 21448",
        "adas",
        "performance limitations and triggering conditions of automated driving functions",
    ),
    (
        "c-ad-validation",
        "Automated driving validation",
        "scenario-based testing;AD validation",
        "adas",
        "scenario-based simulation and proving-ground validation of automated driving",
    ),
    (
        "c-computer-vision",
        "Computer vision for vehicles",
        "machine vision;image recognition",
        "adas",
        "deep-learning object detection and image processing for vehicle cameras",
    ),
    (
        "c-hmi",
        "Human-machine interface design",
        "HMI;driver interface design",
        "adas",
        "usability, driver distraction and the design of in-vehicle interfaces",
    ),
    # cybersecurity
    (
        "c-cyber-iso21434",
        "Automotive cybersecurity engineering (ISO/SAE 21434)",
        "ISO 21434;cybersecurity engineering",
        "cybersecurity",
        "threat analysis and risk assessment and the ISO/SAE 21434 cybersecurity lifecycle",
    ),
    (
        "c-unece-r155",
        "Cybersecurity management systems (UNECE R155)",
        "CSMS;UN R155",
        "cybersecurity",
        "setting up and auditing a cybersecurity management system for type approval",
    ),
    (
        "c-pentest-vehicle",
        "Vehicle penetration testing",
        "automotive pentesting;ethical hacking for vehicles",
        "cybersecurity",
        "penetration testing of ECUs, CAN buses and telematics units",
    ),
    (
        "c-secure-coding",
        "Secure coding",
        "secure software development;secure programming",
        "cybersecurity",
        "secure coding rules, static analysis and vulnerability prevention in C and C++",
    ),
    (
        "c-crypto-keys",
        "Cryptography and key management",
        "PKI;key management",
        "cybersecurity",
        "cryptographic primitives, hardware security modules and vehicle key management",
    ),
    (
        "c-intrusion-detection",
        "Vehicle intrusion detection",
        "IDS;security monitoring",
        "cybersecurity",
        "in-vehicle intrusion detection and vehicle security operations centres",
    ),
    (
        "c-data-protection",
        "Data protection for connected vehicles",
        "GDPR for vehicles;privacy engineering",
        "cybersecurity",
        "privacy by design and GDPR compliance for connected-vehicle services",
    ),
    # hydrogen
    (
        "c-h2-fuel-cell",
        "Fuel cell systems",
        "PEM fuel cells;fuel cell technology",
        "hydrogen",
        "operation, integration and diagnostics of PEM fuel cell systems in vehicles",
    ),
    (
        "c-h2-storage",
        "Hydrogen storage",
        "high-pressure hydrogen tanks;H2 storage",
        "hydrogen",
        "high-pressure and cryogenic hydrogen storage systems and their inspection",
    ),
    (
        "c-h2-safety",
        "Hydrogen safety",
        "H2 safety;hydrogen hazard management",
        "hydrogen",
        "hydrogen properties, leak detection, ventilation and ATEX zones",
    ),
    (
        "c-h2-refuelling",
        "Hydrogen refuelling station operation",
        "HRS operation;hydrogen refuelling",
        "hydrogen",
        "operation, maintenance and safety checks of hydrogen refuelling stations",
    ),
    (
        "c-h2-production",
        "Electrolysis and hydrogen production",
        "electrolysers;green hydrogen production",
        "hydrogen",
        "electrolyser technologies and green hydrogen supply for mobility",
    ),
    (
        "c-h2-ice",
        "Hydrogen combustion engines",
        "H2 ICE;hydrogen internal combustion",
        "hydrogen",
        "converting and calibrating internal combustion engines for hydrogen",
    ),
    (
        "c-fcev-maintenance",
        "Fuel cell vehicle maintenance",
        "FCEV servicing;fuel cell vehicle repair",
        "hydrogen",
        "workshop procedures for servicing fuel cell trucks and buses",
    ),
    # manufacturing digitalisation
    (
        "c-digital-twin",
        "Digital twin",
        "virtual commissioning;digital twins",
        "manufacturing-digitalisation",
        "building digital twins of production lines and virtual commissioning",
    ),
    (
        "c-industrial-robotics",
        "Industrial robotics",
        "robot programming;robotic automation",
        "manufacturing-digitalisation",
        "programming and maintaining industrial robots in body shops and assembly",
    ),
    (
        "c-plc-automation",
        "PLC programming and automation",
        "PLC;industrial automation",
        "manufacturing-digitalisation",
        "programming programmable logic controllers and automation cells",
    ),
    (
        "c-iiot",
        "Industrial IoT",
        "IIoT;smart factory connectivity",
        "manufacturing-digitalisation",
        "connecting machines, sensors and MES systems in the smart factory",
    ),
    (
        "c-additive-manufacturing",
        "Additive manufacturing",
        "3D printing;AM",
        "manufacturing-digitalisation",
        "metal and polymer 3D printing for prototypes, tooling and spare parts",
    ),
    (
        "c-quality-analytics",
        "Data-driven quality management",
        "quality 4.0;statistical process control",
        "manufacturing-digitalisation",
        "statistical process control, AI-based inspection and quality data analytics",
    ),
    (
        "c-predictive-maintenance",
        "Predictive maintenance",
        "condition monitoring;PdM",
        "manufacturing-digitalisation",
        "condition monitoring and predictive maintenance of production equipment",
    ),
    # circular economy
    (
        "c-lca",
        "Life cycle assessment",
        "LCA;carbon footprint",
        "circular-economy",
        "life cycle assessment and the product carbon footprint of vehicles and parts",
    ),
    (
        "c-remanufacturing",
        "Remanufacturing",
        "reman;component refurbishment",
        "circular-economy",
        "remanufacturing processes for engines, gearboxes and electronic modules",
    ),
    (
        "c-eco-design",
        "Eco-design",
        "design for recycling;circular design",
        "circular-economy",
        "design for disassembly, recyclability and material efficiency",
    ),
    (
        "c-materials-recovery",
        "Secondary raw materials",
        "recycled materials;material recovery",
        "circular-economy",
        "recovering and qualifying secondary aluminium, steel and plastics",
    ),
    (
        "c-sustainability-reporting",
        "Sustainability reporting",
        "CSRD reporting;ESG reporting",
        "circular-economy",
        "CSRD and ESG reporting duties along the automotive supply chain",
    ),
    (
        "c-supply-chain-due-diligence",
        "Supply chain due diligence",
        "responsible sourcing;battery passport",
        "circular-economy",
        "responsible sourcing of raw materials, battery passports and due-diligence rules",
    ),
    (
        "c-ev-dismantling",
        "End-of-life vehicle dismantling",
        "ELV treatment;vehicle depollution",
        "circular-economy",
        "depollution and dismantling of end-of-life vehicles, including electrified ones",
    ),
    # transversal
    (
        "c-change-management",
        "Change management",
        "managing transformation;organisational change",
        "transversal",
        "leading teams and organisations through the industrial transformation",
    ),
    (
        "c-digital-literacy",
        "Digital literacy",
        "basic digital skills;digital competences",
        "transversal",
        "basic digital skills for production and workshop staff",
    ),
    (
        "c-lean",
        "Lean management",
        "lean production;continuous improvement",
        "transversal",
        "lean principles, value stream mapping and continuous improvement",
    ),
    (
        "c-project-management",
        "Project management",
        "agile project management;PM",
        "transversal",
        "planning and steering engineering projects with classic and agile methods",
    ),
    (
        "c-train-the-trainer",
        "Train the trainer",
        "trainer qualification;didactics for trainers",
        "transversal",
        "didactics and methods for in-company trainers and VET teachers",
    ),
    (
        "c-systems-engineering",
        "Systems engineering",
        "MBSE;model-based systems engineering",
        "transversal",
        "requirements engineering and model-based systems engineering",
    ),
    (
        "c-intercultural",
        "Intercultural and language skills",
        "cross-cultural communication;technical English",
        "transversal",
        "technical English and working in international teams",
    ),
]
COMP = {c[0]: c for c in COMPETENCES}
GROUPS = sorted({c[3] for c in COMPETENCES})
BY_GROUP = {g: [c[0] for c in COMPETENCES if c[3] == g] for g in GROUPS}
G = {  # short focus codes used in the member table
    "elec": "electrification",
    "bat": "batteries",
    "sdv": "software-defined-vehicles",
    "adas": "adas",
    "cyber": "cybersecurity",
    "h2": "hydrogen",
    "mfg": "manufacturing-digitalisation",
    "circ": "circular-economy",
    "trans": "transversal",
}
# Competences used only in planted features (never drawn at random).
GAP_COMPS = ["c-h2-refuelling", "c-ota-updates", "c-battery-second-life"]

# --------------------------------------------------------------------------
# Members: (id, name, type, country, city, focus groups)
# --------------------------------------------------------------------------
MEMBERS = [
    ("m-001", "Voltaria Mobility GmbH", "oem", "DE", "Stuttgart", "elec bat sdv"),
    ("m-002", "Autovia Motori S.p.A.", "oem", "IT", "Turin", "sdv cyber adas"),
    ("m-003", "Rennard Automobiles S.A.", "oem", "FR", "Sochaux", "adas sdv elec"),
    ("m-004", "Iberauto Vehículos S.A.", "oem", "ES", "Valladolid", "elec mfg"),
    ("m-005", "Moravia Motors a.s.", "oem", "CZ", "Ostrava", "mfg elec"),
    ("m-006", "Nordvik Fordon AB", "oem", "SE", "Gothenburg", "h2 elec"),
    ("m-007", "Kessler Antriebstechnik GmbH", "supplier", "DE", "Nuremberg", "elec"),
    ("m-008", "Lumetra Componenti S.r.l.", "supplier", "IT", "Brescia", "cyber sdv"),
    ("m-009", "Ferrovolt Systems SRL", "supplier", "RO", "Pitești", "elec mfg"),
    ("m-010", "Polcell Energia Sp. z o.o.", "supplier", "PL", "Wrocław", "bat circ"),
    ("m-011", "Danubia Sensorics s.r.o.", "supplier", "SK", "Trnava", "adas sdv"),
    ("m-012", "Lusocomp Peças Automóveis Lda", "supplier", "PT", "Aveiro", "mfg circ"),
    ("m-013", "Cablenor Wiring S.A.", "supplier", "ES", "Vigo", "elec"),
    ("m-014", "Hexaline Automotive Electronics GmbH", "supplier", "AT", "Graz", "elec bat"),
    ("m-015", "Brabant Drivetrain B.V.", "supplier", "NL", "Eindhoven", "elec h2"),
    ("m-016", "Pannon Castings Kft.", "supplier", "HU", "Győr", "mfg circ"),
    ("m-017", "Solvik Cell Materials AB", "supplier", "SE", "Skellefteå", "bat circ"),
    ("m-018", "Adriatic Polymer Parts d.o.o.", "supplier", "SI", "Maribor", "circ mfg"),
    ("m-019", "Vernier Thermique SAS", "supplier", "FR", "Lyon", "bat elec"),
    (
        "m-020",
        "Rheinfels Technik-Bildungszentrum GmbH",
        "training_provider",
        "DE",
        "Karlsruhe",
        "sdv elec",
    ),
    (
        "m-021",
        "Akademie für Fahrzeugtechnik Oberland e.V.",
        "training_provider",
        "DE",
        "Munich",
        "elec trans",
    ),
    ("m-022", "Formatec Automobile SARL", "training_provider", "FR", "Rennes", "elec adas bat"),
    (
        "m-023",
        "Instituto de Formación Motriz S.L.",
        "training_provider",
        "ES",
        "Zaragoza",
        "elec trans",
    ),
    (
        "m-024",
        "Scuola Tecnica Veicoli Elettrici S.r.l.",
        "training_provider",
        "IT",
        "Bologna",
        "elec adas",
    ),
    (
        "m-025",
        "Edukacja Motoryzacyjna Sp. z o.o.",
        "training_provider",
        "PL",
        "Poznań",
        "bat mfg trans",
    ),
    (
        "m-026",
        "Skillforge Automotive Training AB",
        "training_provider",
        "SE",
        "Malmö",
        "bat h2 trans",
    ),
    (
        "m-027",
        "Vzdělávací centrum Auto Plus s.r.o.",
        "training_provider",
        "CZ",
        "Brno",
        "mfg trans",
    ),
    (
        "m-028",
        "Academia Auto Carpați SRL",
        "training_provider",
        "RO",
        "Cluj-Napoca",
        "elec bat trans",
    ),
    ("m-029", "Flandria Tech Academy VZW", "training_provider", "BE", "Ghent", "adas elec"),
    ("m-030", "Centro Tecnico Lusitano Lda", "training_provider", "PT", "Porto", "bat elec trans"),
    ("m-031", "Technische Hochschule Neckarland", "university", "DE", "Heilbronn", "mfg adas bat"),
    ("m-032", "Politecnico di Valpadana", "university", "IT", "Milan", "adas sdv"),
    (
        "m-033",
        "Université Technique du Val de Loire",
        "university",
        "FR",
        "Tours",
        "adas sdv cyber",
    ),
    ("m-034", "Universidad Politécnica del Ebro", "university", "ES", "Zaragoza", "elec h2 mfg"),
    ("m-035", "Politechnika Nadodrzańska", "university", "PL", "Opole", "bat mfg"),
    ("m-036", "Västkust Tekniska Högskola", "university", "SE", "Trollhättan", "adas h2 sdv"),
    ("m-037", "Universidade Politécnica do Atlântico", "university", "PT", "Braga", "bat circ"),
    ("m-038", "Vysoká škola technická Beskydy", "university", "CZ", "Zlín", "mfg"),
    (
        "m-039",
        "Institut für Elektromobilität Rhein-Main e.V.",
        "research",
        "DE",
        "Darmstadt",
        "bat elec",
    ),
    ("m-040", "Centre de Recherche Mobilité Avancée", "research", "FR", "Grenoble", "sdv cyber"),
    ("m-041", "Fundación Innovamotor", "research", "ES", "Bilbao", "h2 mfg"),
    ("m-042", "Istituto di Ricerca Veicoli Intelligenti", "research", "IT", "Pisa", "adas cyber"),
    ("m-043", "Nordisk Vätgascentrum AB", "research", "SE", "Luleå", "h2"),
    ("m-044", "Výskumné centrum Mobilita a.s.", "research", "SK", "Bratislava", "sdv mfg"),
    (
        "m-045",
        "Verband der Zulieferindustrie Mitteldeutschland e.V.",
        "association",
        "DE",
        "Leipzig",
        "trans mfg",
    ),
    (
        "m-046",
        "Asociația Producătorilor Auto Dunărea",
        "association",
        "RO",
        "Bucharest",
        "trans mfg",
    ),
    (
        "m-047",
        "Association Européenne des Formateurs Automobiles AISBL",
        "association",
        "BE",
        "Brussels",
        "trans",
    ),
    ("m-048", "Klaster Motoryzacyjny Wielkopolska", "association", "PL", "Poznań", "trans bat"),
    ("m-049", "Alpenland Mobility Cluster", "association", "AT", "Linz", "circ bat"),
    (
        "m-050",
        "Agencia Regional de Empleo de Castilla del Norte",
        "public_authority",
        "ES",
        "Burgos",
        "trans",
    ),
    (
        "m-051",
        "Agenzia Regionale per le Competenze Piemonte Sud",
        "public_authority",
        "IT",
        "Cuneo",
        "trans sdv",
    ),
    (
        "m-052",
        "Slovenska agencija za industrijski razvoj",
        "public_authority",
        "SI",
        "Ljubljana",
        "trans mfg",
    ),
    (
        "m-053",
        "Gewerkschaft Fahrzeug und Technik Süd",
        "social_partner",
        "DE",
        "Stuttgart",
        "trans elec",
    ),
    (
        "m-054",
        "Fédération des Métiers de l'Automobile de l'Est",
        "social_partner",
        "FR",
        "Strasbourg",
        "adas trans",
    ),
    ("m-055", "Sindicato Metalúrgico do Norte", "social_partner", "PT", "Porto", "trans"),
    ("m-056", "Fundacja Obserwatorium Kompetencji Mobilności", "other", "PL", "Warsaw", "trans"),
    ("m-057", "Greenlane Consulting B.V.", "other", "NL", "Rotterdam", "circ trans"),
    ("m-058", "Suomen Ajoneuvotekniikka Oy", "supplier", "FI", "Uusikaupunki", "bat mfg"),
    ("m-059", "Alföldi Műszaki Egyetem", "university", "HU", "Kecskemét", "mfg elec"),
]
MEM = {m[0]: m for m in MEMBERS}
# Rows whose country is written as an English name instead of alpha-2.
COUNTRY_AS_NAME = {"m-021": "Germany", "m-025": "Poland", "m-027": "Czech Republic"}
LANG = {
    "DE": "de",
    "AT": "de",
    "FR": "fr",
    "BE": "nl;fr",
    "IT": "it",
    "ES": "es",
    "PT": "pt",
    "PL": "pl",
    "CZ": "cs",
    "SK": "sk",
    "SE": "sv",
    "RO": "ro",
    "HU": "hu",
    "NL": "nl",
    "SI": "sl",
    "FI": "fi",
}

# Planted member attributes (applied on top of the seeded random profile).
EXPERTISE_ADD = {
    "m-020": ["c-sdv-architecture", "c-hv-safety"],  # good partner B, dup-1
    "m-010": ["c-battery-recycling"],  # good partner B
    "m-031": ["c-digital-twin", "c-functional-safety"],  # good partner B, rec-2
    "m-022": ["c-ota-updates", "c-battery-diagnostics"],  # only OTA teacher (FR)
    "m-039": ["c-battery-second-life", "c-battery-thermal"],
    "m-017": ["c-battery-second-life"],
    "m-013": ["c-hv-wiring"],
    "m-057": ["c-lca"],
    "m-021": ["c-hv-safety"],
    "m-024": ["c-adas-calibration"],
    "m-042": ["c-adas-calibration"],
    "m-032": ["c-adas-calibration"],
    "m-025": ["c-cell-manufacturing"],
    "m-035": ["c-cell-manufacturing"],
    "m-027": ["c-industrial-robotics"],
    "m-038": ["c-industrial-robotics"],
    "m-043": ["c-h2-fuel-cell"],
    "m-041": ["c-h2-fuel-cell"],
    "m-026": ["c-battery-safety"],
    "m-029": ["c-adas-calibration"],
    "m-014": ["c-battery-thermal"],
    "m-049": ["c-battery-recycling"],
}
NEEDS_ADD = {
    "m-004": ["c-sdv-architecture"],  # good partners: m-004 <- m-020
    "m-006": ["c-battery-recycling"],  # good partners: m-006 <- m-010
    "m-016": ["c-digital-twin"],  # good partners: m-016 <- m-031
    "m-009": ["c-battery-second-life"],
    "m-046": ["c-battery-second-life"],  # gap RO (taught DE, SE)
    "m-005": ["c-ota-updates"],
    "m-011": ["c-ota-updates"],  # gap CZ, SK (taught FR only)
    "m-010": ["c-h2-refuelling"],
    "m-050": ["c-h2-refuelling"],  # gap PL, ES (taught nowhere)
    "m-036": ["c-bms"],
    "m-045": ["c-digital-twin"],
}
# Cells where a competence LABEL (odd case) is written instead of the id.
LABEL_INSTEAD_OF_ID = [
    ("m-013", "expertise", "c-hv-wiring", "HIGH-VOLTAGE WIRING HARNESS"),
    ("m-036", "needs", "c-bms", "battery management systems"),
    ("m-045", "needs", "c-digital-twin", "Digital Twin"),
    ("m-057", "expertise", "c-lca", "life cycle ASSESSMENT"),
]

# --------------------------------------------------------------------------
# Priorities
# --------------------------------------------------------------------------
PRIORITIES = [
    (
        "limited-resources",
        "blocker",
        "Limited resources",
        "Members lack internal, financial and human resources (budget, staff, time) to take part in skills initiatives.",
        [
            "budget",
            "funding",
            "funded",
            "fund",
            "money",
            "financ",
            "cost",
            "afford",
            "staff",
            "personnel",
            "headcount",
            "human resources",
            "time",
            "capacity",
            "resource",
            "workload",
            "overstretched",
            "co-financing",
            "own contribution",
            "understaffed",
        ],
    ),
    (
        "fragmentation",
        "blocker",
        "Fragmentation and poor coordination",
        "Skills initiatives are fragmented and poorly coordinated, leading to duplicated efforts and missed opportunities.",
        [
            "fragment",
            "duplicat",
            "overlap",
            "coordinat",
            "silo",
            "scattered",
            "parallel",
            "reinvent",
            "missed opportunit",
            "disconnected",
            "same thing",
            "align",
            "nobody knows",
            "who does what",
            "developed twice",
        ],
    ),
    (
        "lack-of-recognition",
        "blocker",
        "Lack of recognition",
        "There are no agreed competences or frameworks, and skills initiatives receive insufficient recognition at national and EU level.",
        [
            "recogni",
            "certificat",
            "certified",
            "accredit",
            "credential",
            "framework",
            "qualification",
            "validat",
            "acknowledg",
            "standard",
            "formal status",
            "accepted",
        ],
    ),
    (
        "networking",
        "goal",
        "Networking",
        "Members want to build connections, exchange ideas and find platforms for collaboration.",
        [
            "network",
            "connect",
            "contact",
            "meet",
            "partner",
            "collaborat",
            "matchmaking",
            "community",
            "platform",
            "exchang",
            "get to know",
            "getting to know",
            "people",
            "cross-border",
            "join forces",
        ],
    ),
    (
        "best-practices",
        "goal",
        "Sharing best practices",
        "Members want knowledge transfer and to learn from each other's best practices.",
        [
            "best practice",
            "good practice",
            "lesson",
            "learn from",
            "learning from",
            "knowledge transfer",
            "peer learning",
            "case stud",
            "example",
            "replicat",
            "what works",
            "experience",
            "know-how",
            "proven",
            "showcas",
        ],
    ),
    (
        "staying-informed",
        "goal",
        "Staying informed",
        "Members want to stay informed about trends, policy developments and available training offerings.",
        [
            "inform",
            "trend",
            "update",
            "up to date",
            "news",
            "policy",
            "policies",
            "regulation",
            "legislat",
            "newsletter",
            "upcoming",
            "training offer",
            "monitor",
            "forecast",
            "development",
            "insight",
            "keep up",
            "keeping up",
            "overview",
            "latest",
            "what is coming",
        ],
    ),
]
PRIO_IDS = [p[0] for p in PRIORITIES]


def classify(text: str) -> dict[str, int]:
    """Reference keyword classifier: keyword matches at a word start."""
    t = text.lower()
    scores = {}
    for pid, _k, _l, _d, kws in PRIORITIES:
        n = sum(1 for kw in kws if re.search(r"(?<![a-z])" + re.escape(kw), t))
        if n:
            scores[pid] = n
    return scores


# --------------------------------------------------------------------------
# Projects (hand-written; membership defines the collaboration network)
# --------------------------------------------------------------------------
FUZZY_PARTNERS = {"Voltaria Mobility": "m-001", "Autovia Motori SpA": "m-002"}
NON_MEMBERS = {
    "Nordic Battery Cluster AB": "SE",
    "Kompetenzzentrum Wasserstoff Nord GmbH": "DE",
    "Istituto Professionale Meccatronica Lombarda": "IT",
    "Danube Skills Network": "RO",
}

PROJECTS = [
    # --- group A1: DE/AT/CZ/SK/PL -----------------------------------------
    (
        "p-001",
        "BATTALION",
        "Battery Talent Alliance for Central Europe",
        "Erasmus+ KA2",
        "2023-01-01",
        "2026-12-31",
        3980000,
        "m-039",
        ["m-001", "m-007", "m-010", "m-031"],
        "c-bms;c-cell-manufacturing;c-battery-safety",
        "networking;best-practices",
        "BATTALION builds a shared battery skills curriculum for OEMs, cell makers and universities in Central Europe. "
        "It defines occupational profiles from cell operator to BMS engineer and pilots courses in three regions. "
        "A battery skills observatory tracks demand across the partner countries.",
    ),
    (
        "p-002",
        "HV-READY",
        "High-Voltage Readiness for Workshop Technicians",
        "ESF+",
        "2024-03-01",
        "2026-08-31",
        820000,
        "m-021",
        ["m-053", "m-045", "m-014"],
        "c-hv-safety;c-ev-maintenance",
        "limited-resources;best-practices",
        "HV-READY trains workshop technicians and supplier staff to work safely on high-voltage vehicles. "
        "Short modules are offered in the evening so that small firms can release employees without stopping production.",
    ),
    (
        "p-003",
        "DIGIPLANT",
        "Digital Plant Skills Lab",
        "Digital Europe",
        "2024-06-01",
        "2027-05-31",
        2150000,
        "m-031",
        ["Voltaria Mobility", "m-005", "m-027"],
        "c-digital-twin;c-iiot;c-predictive-maintenance",
        "staying-informed;best-practices",
        "DIGIPLANT sets up a learning factory where production staff practise with digital twins, IIoT sensors and predictive maintenance tools. "
        "Plant managers from the partner OEMs co-design the training scenarios. "
        "A trend radar on production digitalisation is published twice a year.",
    ),
    (
        "p-004",
        "VET-LINK",
        "Linking Vocational Trainers across European Automotive Regions",
        "Erasmus+ KA2",
        "2023-09-01",
        "2025-08-31",
        400000,
        "m-047",
        ["m-025", "m-048", "m-011"],
        "c-train-the-trainer;c-hv-safety",
        "networking;fragmentation",
        "VET-LINK connects vocational trainers in Poland and Slovakia with a European network of automotive trainers. "
        "Job-shadowing visits and a shared repository of teaching material reduce duplicated development of course content.",
    ),
    (
        "p-005",
        "CELLFORM",
        "Cell Formation and Quality Skills for Gigafactories",
        "Horizon Europe",
        "2024-01-01",
        "2027-12-31",
        5400000,
        "m-010",
        ["m-011", "m-039", "m-048"],
        "c-cell-manufacturing;c-quality-analytics",
        "best-practices;staying-informed",
        "CELLFORM develops training for the ramp-up phase of battery cell plants, focusing on formation, ageing and inline quality control. "
        "Research results on defect detection are translated into operator training within months.",
    ),
    (
        "p-006",
        "E-DRIVE-SKILLS",
        "Electric Drive Competences for Suppliers",
        "national",
        "2022-10-01",
        "2025-09-30",
        1250000,
        "m-007",
        ["m-001", "m-053", "m-014"],
        "c-ev-powertrain;c-emotor-design;c-power-electronics",
        "limited-resources;networking",
        "E-DRIVE-SKILLS helps suppliers of combustion-engine parts move into electric drive components. "
        "Engineers and works councils jointly identify reskilling needs, and a regional funding scheme covers part of the training costs.",
    ),
    (
        "p-007",
        "MOBIREG",
        "Regional Mobility Skills Observatory Czechia-Slovakia-Poland",
        "ESF+",
        "2023-04-01",
        "2026-03-31",
        960000,
        "m-027",
        ["m-005", "m-011", "m-025"],
        "c-digital-literacy;c-change-management",
        "staying-informed;fragmentation",
        "MOBIREG monitors skills demand in automotive regions of Czechia, Slovakia and Poland. "
        "It publishes quarterly labour-market briefs and a joint catalogue of regional training offers.",
    ),
    # --- group A2: ES/PT ---------------------------------------------------
    (
        "p-008",
        "IBER-EV",
        "Iberian Electric Vehicle Skills Hub",
        "ESF+",
        "2023-02-01",
        "2026-01-31",
        1480000,
        "m-034",
        ["m-004", "m-023", "m-041", "m-013"],
        "c-ev-maintenance;c-hv-safety;c-hv-wiring",
        "networking;best-practices",
        "IBER-EV creates a skills hub for electric vehicle production and after-sales in northern Spain. "
        "University labs, a wiring-harness supplier and a carmaker share equipment for practical training. "
        "The hub also supports apprentices moving between companies.",
    ),
    (
        "p-009",
        "LUSOBAT",
        "Battery Skills for Portuguese Suppliers",
        "national",
        "2024-05-01",
        "2026-10-31",
        690000,
        "m-037",
        ["m-012", "m-030", "m-055"],
        "c-battery-diagnostics;c-battery-safety",
        "limited-resources;staying-informed",
        "LUSOBAT offers subsidised battery safety and diagnostics training to small Portuguese suppliers. "
        "The trade union partner reaches workers in companies without their own training department.",
    ),
    (
        "p-010",
        "TRAIN-EU",
        "Common Trainer Curricula for Automotive VET",
        "Erasmus+ KA2",
        "2024-11-01",
        "2026-10-31",
        250000,
        "m-030",
        ["m-047", "m-023", "m-050"],
        "c-train-the-trainer;c-digital-literacy",
        "best-practices;fragmentation",
        "TRAIN-EU drafts a common curriculum for trainers in automotive vocational education. "
        "It compares existing trainer programmes in Portugal and Spain with those of the European trainers' association and publishes a good-practice guide.",
    ),
    (
        "p-011",
        "RESKILL-EV",
        "Reskilling Automotive Workers for Electric Vehicle Production",
        "ESF+",
        "2024-02-01",
        "2026-07-31",
        1120000,
        "m-050",
        ["m-004", "m-013", "m-023"],
        "c-hv-safety;c-ev-powertrain;c-battery-safety",
        "limited-resources;networking",
        "RESKILL-EV designs short reskilling pathways for assembly and powertrain workers whose jobs are affected by the shift to electric vehicle production. "
        "The project maps competence gaps in high-voltage safety, electric powertrain assembly and battery handling, and pilots modular training with regional employers. "
        "Results feed into a regional reskilling strategy for the automotive workforce.",
    ),
    (
        "p-012",
        "H2-IBERIA",
        "Hydrogen Mobility Skills for Iberian Regions",
        "Horizon Europe",
        "2025-01-01",
        "2028-06-30",
        3200000,
        "m-041",
        ["m-034", "m-012", "m-055"],
        "c-h2-fuel-cell;c-h2-safety;c-h2-storage",
        "staying-informed;networking",
        "H2-IBERIA prepares the workforce for hydrogen buses and trucks in Spain and Portugal. "
        "It develops curricula on fuel cells, hydrogen storage and safety and trains the first cohort of workshop instructors.",
    ),
    # --- group B: Nordic / hydrogen --------------------------------------------
    (
        "p-013",
        "NORDCELL",
        "Nordic Battery Cell Workforce Programme",
        "Horizon Europe",
        "2023-06-01",
        "2027-05-31",
        4600000,
        "m-017",
        ["m-006", "m-036", "Nordic Battery Cluster AB", "m-058"],
        "c-cell-manufacturing;c-battery-thermal",
        "networking;staying-informed",
        "NORDCELL trains operators and engineers for new battery cell and cathode material plants in Sweden and Finland. "
        "Industry partners host trainees on the production floor while the university runs an online engineering track.",
    ),
    (
        "p-014",
        "H2TRUCK",
        "Hydrogen Truck Service Technician Training",
        "Horizon Europe",
        "2024-09-01",
        "2027-08-31",
        2750000,
        "m-043",
        ["m-026", "m-006", "m-015"],
        "c-fcev-maintenance;c-h2-safety;c-h2-fuel-cell",
        "best-practices;networking",
        "H2TRUCK develops service procedures and technician training for fuel cell trucks. "
        "Training content is validated on a fleet of pilot vehicles operating between Gothenburg and Eindhoven.",
    ),
    (
        "p-015",
        "H2VALLEY-SKILLS",
        "Hydrogen Valley Skills Roadmap",
        "Horizon Europe",
        "2025-03-01",
        "2027-02-28",
        1900000,
        "m-036",
        ["m-043", "Kompetenzzentrum Wasserstoff Nord GmbH", "m-057"],
        "c-h2-production;c-h2-storage",
        "staying-informed;limited-resources",
        "H2VALLEY-SKILLS drafts a skills roadmap for hydrogen valleys in the Nordic countries and northern Germany. "
        "Scenarios of hydrogen demand are translated into required numbers of technicians and engineers.",
    ),
    (
        "p-016",
        "CIRC-NORD",
        "Circular Battery Value Chain Skills",
        "Interreg",
        "2024-04-01",
        "2026-12-31",
        1350000,
        "m-057",
        ["m-017", "m-015", "m-058"],
        "c-battery-recycling;c-lca;c-eco-design",
        "best-practices;fragmentation",
        "CIRC-NORD maps skills along the circular battery value chain, from eco-design to recycling. "
        "Partners produce open teaching cases on life cycle assessment of battery packs.",
    ),
    # --- group C: FR/IT/DE software, ADAS, cyber -------------------------------------
    (
        "p-017",
        "SDV-ACADEMY",
        "Software-Defined Vehicle Academy",
        "Digital Europe",
        "2024-01-01",
        "2027-12-31",
        6100000,
        "m-040",
        ["m-003", "m-020", "m-022", "m-033"],
        "c-sdv-architecture;c-embedded-sw;c-devops-auto",
        "networking;staying-informed",
        "SDV-ACADEMY builds a cross-border academy for software-defined vehicle skills. "
        "Modules cover zonal architectures, embedded software and DevOps pipelines and are open to engineers retraining from mechanical roles. "
        "A yearly summit presents technology trends to member companies.",
    ),
    (
        "p-018",
        "CYBERDRIVE",
        "Automotive Cybersecurity Skills for Type Approval",
        "Digital Europe",
        "2023-10-01",
        "2026-09-30",
        2300000,
        "m-042",
        ["m-002", "m-008", "Istituto Professionale Meccatronica Lombarda", "m-051"],
        "c-cyber-iso21434;c-unece-r155;c-pentest-vehicle",
        "staying-informed;best-practices",
        "CYBERDRIVE trains engineers and auditors for cybersecurity type approval under UNECE R155. "
        "A vehicle security lab offers hands-on penetration testing exercises for suppliers.",
    ),
    (
        "p-019",
        "ADAS-PRO",
        "ADAS Repair and Calibration Professionals",
        "Erasmus+ KA2",
        "2024-02-01",
        "2026-01-31",
        380000,
        "m-054",
        ["m-022", "m-019", "m-003"],
        "c-adas-calibration;c-ev-maintenance",
        "best-practices;networking",
        "ADAS-PRO defines a professional profile for ADAS repair and calibration technicians in France. "
        "Training material is tested in garages of the employers' federation.",
    ),
    (
        "p-020",
        "SAFE-AUTO",
        "Functional Safety Engineering Curriculum",
        "Erasmus+ KA2",
        "2023-09-01",
        "2026-08-31",
        420000,
        "m-032",
        ["Autovia Motori SpA", "m-033", "m-040"],
        "c-functional-safety;c-sotif;c-systems-engineering",
        "best-practices;fragmentation",
        "SAFE-AUTO develops a joint master-level curriculum on functional safety and SOTIF. "
        "An industrial advisory board reviews case studies drawn from automated driving projects.",
    ),
    (
        "p-021",
        "DATAMOB",
        "Vehicle Data Skills for Connected Services",
        "Horizon Europe",
        "2025-02-01",
        "2028-01-31",
        2900000,
        "m-020",
        ["m-008", "m-051", "m-019"],
        "c-vehicle-data;c-data-protection",
        "staying-informed;networking",
        "DATAMOB trains data engineers to build connected-vehicle services that comply with data protection rules. "
        "A regional agency pilots the training with unemployed IT graduates.",
    ),
    # --- group D: RO/HU ------------------------------------------------------------
    (
        "p-022",
        "DANUBE-AUTO",
        "Danube Automotive Skills Partnership",
        "Interreg",
        "2023-03-01",
        "2026-02-28",
        1100000,
        "m-046",
        ["m-009", "m-028", "Danube Skills Network", "m-016"],
        "c-lean;c-industrial-robotics;c-digital-literacy",
        "networking;limited-resources",
        "DANUBE-AUTO strengthens cooperation between automotive employers and training centres along the Danube. "
        "It funds train-the-trainer visits and shared robotics training equipment.",
    ),
    (
        "p-023",
        "EV-RESKILL",
        "EV-ReSkill: Reskilling the Automotive Workforce for Electric Vehicle Manufacturing",
        "ESF+",
        "2024-09-01",
        "2027-02-28",
        980000,
        "m-028",
        ["m-009", "m-059", "m-016"],
        "c-hv-safety;c-ev-powertrain;c-battery-safety",
        "limited-resources;best-practices",
        "EV-RESKILL designs short reskilling pathways for assembly and powertrain workers whose jobs are affected by the transition to electric vehicle manufacturing. "
        "The project maps competence gaps in high-voltage safety, electric powertrain assembly and battery handling, and pilots modular training courses with regional employers. "
        "Results feed into a regional reskilling roadmap for the automotive workforce.",
    ),
    (
        "p-024",
        "PANNON-Q",
        "Quality 4.0 Skills for Foundries",
        "national",
        "2025-01-01",
        "2026-12-31",
        540000,
        "m-059",
        ["m-016", "m-009"],
        "c-quality-analytics;c-predictive-maintenance",
        "best-practices;staying-informed",
        "PANNON-Q introduces data-driven quality management in aluminium foundries. "
        "Foundry staff learn statistical process control and condition monitoring on their own production data.",
    ),
]


def project_members(p) -> list[str]:
    ids = [p[7]]
    for x in p[8]:
        if x.startswith("m-"):
            ids.append(x)
        elif x in FUZZY_PARTNERS:
            ids.append(FUZZY_PARTNERS[x])
    return ids


# --------------------------------------------------------------------------
# Planted training offers
# --------------------------------------------------------------------------
HV_DESC = (
    "This course prepares vehicle technicians to work safely on the high-voltage systems of electric and hybrid vehicles. "
    "Participants learn how to de-energise the HV system, verify the absence of voltage and secure the vehicle against reactivation. "
    "Practical exercises on training vehicles cover personal protective equipment, insulation measurement and first aid after electrical accidents."
)
ADAS_DUP = (
    "Modern vehicles rely on front cameras and radar sensors that must be recalibrated after windscreen replacement, wheel alignment or bodywork repairs. "
    "The course explains static and dynamic calibration procedures, target positioning and the use of diagnostic scan tools. "
    "Participants practise complete calibration workflows on vehicles of several brands and learn to document the result for the customer and the insurer."
)
CELL_DUP = (
    "The programme introduces quality control along the battery cell production line, from electrode coating and calendering to cell assembly, formation and ageing. "
    "Participants learn to set up inline measurement, interpret statistical process control charts and trace defects back to process parameters. "
    "Case studies from gigafactory start-ups show how scrap rates are reduced during ramp-up."
)
ROBOT_DUP = (
    "Participants learn to program six-axis industrial robots used for spot welding, handling and sealing in body-in-white production. "
    "The course covers teach-pendant programming, coordinate systems, safety zones and offline programming in a simulation environment. "
    "Practical sessions take place on a robot cell with welding gun and gripper."
)
ADAS_SERIES = (
    "Two-day hands-on workshop on calibrating front cameras, radar and blind-spot sensors after windscreen replacement and collision repair. "
    "Participants work with calibration frames and targets on vehicles of different brands. Sessions are offered several times a year."
)
BATSAFE_INTRO = (
    "Part of our three-level battery safety series for production, logistics and workshop staff."
)

# key, provider, title, description, competences, eqf, countries, languages, mode, hours, start, end
PLANTED_OFFERS = [
    # (a) duplicates across unconnected providers
    (
        "dup1-a",
        "m-021",
        "High-Voltage Safety Qualification for Vehicle Technicians",
        HV_DESC
        + " Successful participants receive a certificate according to national accident-insurance guidance.",
        "c-hv-safety",
        4,
        "DE",
        "de",
        "in_person",
        24,
        "2026-03-02",
        "2026-03-04",
    ),
    (
        "dup1-b",
        "m-020",
        "Qualification in High-Voltage Safety for Vehicle Technicians",
        HV_DESC.replace("verify the absence", "check the absence").replace(
            "insulation measurement", "insulation measurements"
        )
        + " Participants receive a certificate on successful completion.",
        "c-hv-safety",
        4,
        "DE",
        "de",
        "in_person",
        24,
        "2026-05-11",
        "2026-05-13",
    ),
    (
        "dup2-a",
        "m-024",
        "ADAS Camera and Radar Calibration after Windscreen and Bodywork Repairs",
        ADAS_DUP,
        "c-adas-calibration",
        4,
        "IT",
        "it",
        "in_person",
        16,
        "2026-02-16",
        "2026-02-17",
    ),
    (
        "dup2-b",
        "m-042",
        "ADAS Camera and Radar Calibration after Windscreen and Body Repairs",
        ADAS_DUP.replace("bodywork repairs", "body repairs").replace(
            "several brands", "different brands"
        ),
        "c-adas-calibration",
        5,
        "IT",
        "it;en",
        "blended",
        20,
        "2026-04-20",
        "2026-05-08",
    ),
    (
        "dup2-c",
        "m-032",
        "Calibration of ADAS Cameras and Radar after Windscreen and Bodywork Repair",
        ADAS_DUP.replace("The course explains", "This course explains").replace(
            "and the insurer", "and insurers"
        ),
        "c-adas-calibration",
        4,
        "IT",
        "it",
        "in_person",
        16,
        "",
        "",
    ),
    (
        "dup3-a",
        "m-025",
        "Quality Control in Battery Cell Production",
        CELL_DUP,
        "c-cell-manufacturing;c-quality-analytics",
        5,
        "PL",
        "pl",
        "blended",
        40,
        "2026-01-19",
        "2026-03-13",
    ),
    (
        "dup3-b",
        "m-035",
        "Quality Control in Lithium-ion Battery Cell Production",
        CELL_DUP.replace("The programme introduces", "This programme introduces")
        .replace("start-ups", "ramp-ups")
        .replace("during ramp-up", "in the first year"),
        "c-cell-manufacturing;c-quality-analytics",
        5,
        "PL",
        "pl;en",
        "blended",
        45,
        "2026-10-05",
        "2026-12-18",
    ),
    (
        "dup4-a",
        "m-027",
        "Industrial Robot Programming for Body-in-White Lines",
        ROBOT_DUP,
        "c-industrial-robotics",
        4,
        "CZ",
        "cs",
        "in_person",
        40,
        "2026-02-02",
        "2026-02-13",
    ),
    (
        "dup4-b",
        "m-038",
        "Programming Industrial Robots for Body-in-White Production Lines",
        ROBOT_DUP.replace("Practical sessions take place", "Practical sessions are held"),
        "c-industrial-robotics",
        4,
        "CZ",
        "cs",
        "in_person",
        40,
        "2026-09-14",
        "2026-09-25",
    ),
    # (b) decoy: many shared words, different content and competences (same country, same EQF)
    (
        "decoy-a",
        "m-014",
        "Battery Systems Engineering: Thermal Management and Cooling Design",
        "Battery systems engineering course for development engineers working on electric vehicle battery packs. "
        "This module focuses on thermal management of the battery system: heat generation in cells, liquid and immersion cooling concepts and thermal simulation. "
        "Hands-on laboratory sessions use a battery pack test bench in our battery laboratory. "
        "Participants finish the module with a design review of a complete battery system.",
        "c-battery-thermal",
        6,
        "AT",
        "de;en",
        "blended",
        48,
        "2026-03-09",
        "2026-04-24",
    ),
    (
        "decoy-b",
        "m-049",
        "Battery Systems Engineering: End-of-Life Dismantling and Recycling",
        "Battery systems engineering course for development engineers working on electric vehicle battery packs. "
        "This module focuses on the end of life of the battery system: safe discharge, pack dismantling, black mass recovery and hydrometallurgical recycling. "
        "Hands-on laboratory sessions use a battery pack dismantling station in our battery laboratory. "
        "Participants finish the module with a recycling concept for a complete battery system.",
        "c-battery-recycling;c-materials-recovery",
        6,
        "AT",
        "de;en",
        "blended",
        48,
        "2026-05-04",
        "2026-06-19",
    ),
    # (c) recognition candidates: same competences + EQF, different countries/providers, similar content
    (
        "rec1-fr",
        "m-022",
        "Battery Diagnostics and State-of-Health Testing for EV Technicians",
        "Technicians learn to assess the condition of electric vehicle traction batteries using diagnostic testers and manufacturer software. "
        "The training covers reading battery management data, measuring cell voltages and insulation resistance, and determining the state of health before repair or resale. "
        "Practical work is done on battery packs in the workshop.",
        "c-battery-diagnostics",
        4,
        "FR",
        "fr",
        "in_person",
        35,
        "2026-03-16",
        "2026-03-20",
    ),
    (
        "rec1-pt",
        "m-030",
        "Diagnosing EV Traction Batteries: State of Health and Fault Finding",
        "This training teaches workshop technicians how to evaluate the state of health of electric vehicle batteries with diagnostic tools and OEM software. "
        "Topics include interpreting battery management system data, cell voltage and insulation measurements, and typical fault patterns. "
        "Exercises are carried out on real battery packs in the workshop.",
        "c-battery-diagnostics",
        4,
        "PT",
        "pt",
        "blended",
        32,
        "2026-04-06",
        "2026-05-15",
    ),
    (
        "rec1-ro",
        "m-028",
        "EV Battery Testing and Diagnostics for Service Technicians",
        "Service technicians learn to test electric vehicle batteries and judge their state of health before repair, reuse or sale. "
        "The course explains battery management data, insulation and cell voltage measurements and the use of diagnostic testers. "
        "Hands-on sessions use battery modules and complete packs in the workshop.",
        "c-battery-diagnostics",
        4,
        "RO",
        "ro",
        "in_person",
        40,
        "2026-06-01",
        "2026-06-12",
    ),
    (
        "rec2-de",
        "m-031",
        "Functional Safety Engineering according to ISO 26262",
        "The course gives engineers a thorough understanding of the ISO 26262 safety lifecycle, from item definition and hazard analysis to safety goals, ASIL decomposition and safety cases. "
        "Participants apply the methods in a group project on an electric steering system.",
        "c-functional-safety",
        7,
        "DE",
        "de;en",
        "blended",
        60,
        "2026-04-13",
        "2026-07-10",
    ),
    (
        "rec2-fr",
        "m-033",
        "Functional Safety of Road Vehicles (ISO 26262)",
        "Engineers study the ISO 26262 safety lifecycle: item definition, hazard analysis and risk assessment, safety goals, ASIL decomposition and the construction of a safety case. "
        "Methods are applied in a team project on a braking function.",
        "c-functional-safety",
        7,
        "FR",
        "fr;en",
        "in_person",
        56,
        "2026-09-21",
        "2026-12-11",
    ),
    (
        "rec2-se",
        "m-036",
        "ISO 26262 Functional Safety for Vehicle Engineers",
        "An engineering course on the ISO 26262 functional safety lifecycle, covering hazard analysis and risk assessment, safety goals, ASIL decomposition and safety case argumentation. "
        "Students work in teams on a case study of a battery management function.",
        "c-functional-safety",
        7,
        "SE",
        "sv;en",
        "online",
        60,
        "2026-01-26",
        "2026-06-05",
    ),
    (
        "rec3-se",
        "m-043",
        "Fuel Cell Systems and Hydrogen Safety for Technicians",
        "Technicians are introduced to the operation of PEM fuel cell systems in heavy-duty vehicles and to the safe handling of hydrogen. "
        "The course covers the stack, air and hydrogen supply, cooling and diagnostics, as well as leak detection and ATEX zones. "
        "Practical exercises use a fuel cell test rig.",
        "c-h2-fuel-cell;c-h2-safety",
        5,
        "SE",
        "sv;en",
        "in_person",
        40,
        "2026-03-23",
        "2026-04-03",
    ),
    (
        "rec3-es",
        "m-041",
        "Hydrogen Fuel Cell Systems and Safe Handling of Hydrogen",
        "This course explains how PEM fuel cell systems work in buses and trucks and how to handle hydrogen safely in the workshop. "
        "Content includes the fuel cell stack, air and hydrogen supply, thermal management and diagnostics, plus leak detection and explosion-protection zones. "
        "Practical exercises use a fuel cell demonstrator.",
        "c-h2-fuel-cell;c-h2-safety",
        5,
        "ES",
        "es",
        "blended",
        36,
        "2026-05-18",
        "2026-06-26",
    ),
    # (d) the only offers for gap competences
    (
        "gap-ota-fr",
        "m-022",
        "Over-the-Air Software Updates: Campaign Management and Validation",
        "Engineers and after-sales specialists learn how vehicle software is updated over the air. "
        "The course covers update packaging, campaign planning, rollback strategies and validation of updates on a test fleet, with attention to the requirements of UNECE R156.",
        "c-ota-updates;c-sdv-architecture",
        6,
        "FR",
        "fr",
        "online",
        21,
        "2026-02-03",
        "2026-02-24",
    ),
    (
        "gap-2l-de",
        "m-039",
        "Second-Life Batteries: Grading and Repurposing for Stationary Storage",
        "What happens to EV batteries that no longer meet automotive requirements? Participants learn to grade used modules, assess remaining capacity and design repurposed storage systems for buildings and charging hubs.",
        "c-battery-second-life;c-battery-diagnostics",
        6,
        "DE",
        "de",
        "in_person",
        30,
        "2026-06-15",
        "2026-06-19",
    ),
    (
        "gap-2l-se",
        "m-017",
        "Repurposing EV Batteries for Second-Life Energy Storage",
        "A short course for engineers at recyclers and energy companies on testing, sorting and reassembling used vehicle battery modules into stationary storage units, including safety and warranty questions.",
        "c-battery-second-life",
        5,
        "SE",
        "sv;en",
        "blended",
        24,
        "",
        "",
    ),
    # (f) good partners teach what the other needs
    (
        "gp-sdv-de",
        "m-020",
        "Software-Defined Vehicle Architecture: Zonal E/E and Service-Oriented Software",
        "The training explains how vehicle electronics move from many distributed ECUs to central computers and zonal controllers. "
        "Participants model a service-oriented architecture, deploy containerised vehicle functions and discuss the consequences for development organisations.",
        "c-sdv-architecture;c-embedded-sw",
        6,
        "DE",
        "de;en",
        "blended",
        40,
        "2026-03-03",
        "2026-04-14",
    ),
    (
        "gp-rec-pl",
        "m-010",
        "Battery Recycling in Practice: From Pack Dismantling to Material Recovery",
        "Run at our pilot recycling line, this course walks through discharge, pack opening, module separation and shredding up to black mass treatment. "
        "Participants also learn the reporting duties of the EU Battery Regulation for recycled content.",
        "c-battery-recycling",
        5,
        "PL",
        "pl;en",
        "in_person",
        32,
        "2026-05-25",
        "2026-05-29",
    ),
    (
        "gp-dt-de",
        "m-031",
        "Digital Twins and Virtual Commissioning of Production Lines",
        "Graduate course on building simulation models of automated production lines, coupling them to real PLC code and commissioning cells virtually before installation. "
        "Students complete a project on a battery module assembly line.",
        "c-digital-twin;c-plc-automation",
        7,
        "DE",
        "de;en",
        "in_person",
        90,
        "2026-04-13",
        "2026-07-17",
    ),
    # (h) same-provider series (NOT duplicates)
    (
        "ser1-l1",
        "m-026",
        "Battery Safety Level 1",
        BATSAFE_INTRO
        + " Level 1 is an awareness course on the hazards of lithium-ion batteries: thermal runaway, toxic gases and basic rules for safe behaviour near cells and packs.",
        "c-battery-safety",
        3,
        "SE",
        "sv;en",
        "online",
        8,
        "2026-02-09",
        "2026-02-13",
    ),
    (
        "ser1-l2",
        "m-026",
        "Battery Safety Level 2",
        BATSAFE_INTRO
        + " Level 2 builds on Level 1 and covers safe handling, storage and internal transport of cells, modules and packs, including inspection of damaged batteries and correct packaging.",
        "c-battery-safety",
        4,
        "SE",
        "sv;en",
        "blended",
        24,
        "2026-04-13",
        "2026-04-24",
    ),
    (
        "ser1-l3",
        "m-026",
        "Battery Safety Level 3",
        BATSAFE_INTRO
        + " Level 3 prepares safety coordinators and emergency teams to respond to battery incidents: fire-fighting strategies, quarantine of damaged packs and incident investigation.",
        "c-battery-safety",
        5,
        "SE",
        "sv;en",
        "in_person",
        40,
        "2026-09-07",
        "2026-09-18",
    ),
    (
        "ser2-spring",
        "m-029",
        "ADAS Calibration Workshop",
        ADAS_SERIES,
        "c-adas-calibration",
        4,
        "BE",
        "nl;fr",
        "in_person",
        16,
        "2026-03-10",
        "2026-03-11",
    ),
    (
        "ser2-autumn",
        "m-029",
        "ADAS Calibration Workshop",
        ADAS_SERIES,
        "c-adas-calibration",
        4,
        "BE",
        "nl;fr",
        "in_person",
        16,
        "2026-10-06",
        "2026-10-07",
    ),
]

DUP_CLUSTERS = {
    "dup-1": ["dup1-a", "dup1-b"],
    "dup-2": ["dup2-a", "dup2-b", "dup2-c"],
    "dup-3": ["dup3-a", "dup3-b"],
    "dup-4": ["dup4-a", "dup4-b"],
}
REC_SETS = {
    "rec-1": ["rec1-fr", "rec1-pt", "rec1-ro"],
    "rec-2": ["rec2-de", "rec2-fr", "rec2-se"],
    "rec-3": ["rec3-se", "rec3-es"],
}
SERIES = {"series-1": ["ser1-l1", "ser1-l2", "ser1-l3"], "series-2": ["ser2-spring", "ser2-autumn"]}
GOOD_PARTNERS = [
    ("m-004", "m-020", "c-sdv-architecture", "gp-sdv-de"),
    ("m-006", "m-010", "c-battery-recycling", "gp-rec-pl"),
    ("m-016", "m-031", "c-digital-twin", "gp-dt-de"),
]
PLANTED_GAPS = [  # competence, country where needed, members needing it, where it is taught
    ("c-h2-refuelling", "PL", ["m-010"], "nowhere"),
    ("c-h2-refuelling", "ES", ["m-050"], "nowhere"),
    ("c-ota-updates", "CZ", ["m-005"], "FR only"),
    ("c-ota-updates", "SK", ["m-011"], "FR only"),
    ("c-battery-second-life", "RO", ["m-009", "m-046"], "DE and SE only"),
]

# --------------------------------------------------------------------------
# Random (seeded) text material for the other offers
# --------------------------------------------------------------------------
TITLE_PATTERNS = [
    "{L}: Fundamentals",
    "Introduction to {L}",
    "{L} for {A}",
    "Advanced {L}",
    "{L} in Practice",
    "Certificate Course in {L}",
    "{L} Masterclass",
    "Hands-on Lab: {L}",
    "{L} Bootcamp",
    "Specialisation Programme in {L}",
    "{L}: From Basics to Application",
    "Applied {L} for Industry",
    "Professional Course on {L}",
    "Summer School on {L}",
    "Micro-credential: {L}",
    "{L} Essentials",
    "{L} Clinic for SMEs",
    "Practitioner Track: {L}",
]
AUD_LOW = [
    "workshop technicians",
    "production operators",
    "apprentices",
    "maintenance staff",
    "career changers from combustion-engine plants",
    "shift leaders",
]
AUD_MID = [
    "technicians and foremen",
    "quality inspectors",
    "VET teachers and trainers",
    "SME managers",
    "purchasing and supply-chain staff",
    "team leaders",
]
AUD_HIGH = [
    "design engineers",
    "software developers",
    "graduate engineers",
    "master's students",
    "engineering managers",
    "researchers and PhD candidates",
]
INTRO = [
    "This course gives {a} a solid grounding in {t}.",
    "Participants explore {t} through short lectures and guided exercises.",
    "The programme covers {t}, with a strong focus on industrial application.",
    "Designed for {a}, the training addresses {t}.",
    "A practical introduction to {t}, tailored to {a}.",
    "{L} is becoming essential in the automotive transformation; this module explains {t}.",
    "Learners work on {t} using real components and case material from the sector.",
    "The curriculum concentrates on {t} and the related standards.",
    "Why does {l} matter for your plant or workshop? We answer this by looking at {t}.",
    "Over several sessions, {a} deepen their knowledge of {t}.",
]
SECOND = [
    "It also touches on {t}.",
    "A second block is dedicated to {t}.",
    "Links to {t} are made throughout.",
    "An optional unit deals with {t}.",
]
FORMAT = {
    "online": [
        "Delivered fully online with recorded lectures and weekly live Q&A.",
        "Self-paced e-learning units are complemented by virtual tutoring.",
        "All sessions take place in a virtual classroom with breakout groups.",
        "Short video lessons can be followed on a phone or tablet between shifts.",
        "Learners meet their tutor in evening webinars and submit assignments through our learning portal.",
    ],
    "in_person": [
        "Sessions take place in our training centre with equipped workstations.",
        "Practical work is carried out in small groups on real vehicles and test benches.",
        "The course runs on site over consecutive days, mostly in the lab.",
        "Classes are held at the partner plant, close to the production line.",
        "Groups of at most eight people guarantee plenty of practice time per person.",
    ],
    "blended": [
        "Online preparation units are followed by hands-on days at the training site.",
        "The blended format combines e-learning with practical workshops.",
        "Theory is studied online; labs and the final assessment happen on site.",
        "Two virtual kick-off sessions prepare a week of practical training at our premises.",
        "Webinars alternate with monthly lab days, so participants can keep working.",
    ],
}
PREREQ = {
    "low": [
        "No prior knowledge is required.",
        "Basic electrical knowledge is expected.",
        "Suitable for newcomers to the sector.",
        "",
        "",
    ],
    "mid": [
        "Participants should have a technical background.",
        "Some shop-floor experience helps.",
        "A vocational qualification in mechatronics or electrics is an advantage.",
        "",
        "",
    ],
    "high": [
        "A bachelor's degree in engineering or equivalent experience is recommended.",
        "Participants should be comfortable with engineering mathematics.",
        "Aimed at people with several years of development experience.",
        "",
        "",
    ],
}
OUTCOME = [
    "Successful participants receive a certificate of attendance.",
    "The module awards {e} ECTS credits.",
    "Assessment is based on a practical project.",
    "Participants finish with an individual action plan for their workplace.",
    "A final test checks the learning outcomes.",
    "Graduates can apply what they learned directly in their own department.",
    "An open-book exam concludes the programme.",
    "Each participant presents a mini case from their company on the last day.",
    "",
    "",
]
EXTRA = [
    "Trainers come from industry and bring current examples.",
    "Company-specific versions can be arranged on request.",
    "Places are partly subsidised for SMEs.",
    "Materials are provided in the course language and in English.",
    "The syllabus was reviewed with regional employers last year.",
    "Demonstrators include cut-away components and measurement equipment.",
    "A short online pre-test helps us place participants at the right level.",
    "Alumni are invited to a yearly meet-up.",
    "",
    "",
    "",
    "",
]
EQF_BY_TYPE = {
    "training_provider": [3, 4, 4, 5, 5],
    "university": [6, 6, 7, 7, 8],
    "research": [6, 7, 7, 8],
    "supplier": [4, 5, 6],
    "oem": [4, 5, 6],
    "association": [3, 4, 5],
    "social_partner": [2, 3, 4],
    "public_authority": [2, 3, 4],
    "other": [4, 5, 6],
}
PROVIDER_WEIGHT = {
    "training_provider": 6,
    "university": 4,
    "research": 3,
    "supplier": 1.2,
    "oem": 1.2,
    "association": 1.2,
    "social_partner": 0.8,
    "public_authority": 0.5,
    "other": 0.8,
}
STOP = {
    "the",
    "and",
    "for",
    "with",
    "of",
    "in",
    "to",
    "a",
    "an",
    "on",
    "is",
    "are",
    "our",
    "this",
    "from",
    "by",
    "at",
    "as",
    "or",
    "their",
    "its",
    "it",
    "be",
    "we",
    "you",
    "your",
    "how",
    "what",
    "that",
}


def tokens(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", s.lower()) if len(w) > 2 and w not in STOP}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def rand_date(lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def cap(s: str) -> str:
    return s[0].upper() + s[1:]


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------
def build_members():
    prof = {}
    for mid, _n, _t, _c, _city, focus in MEMBERS:
        fgroups = [G[f] for f in focus.split()]
        pool = [c for g in fgroups for c in BY_GROUP[g] if c not in GAP_COMPS]
        exp = rng.sample(pool, min(len(pool), rng.randint(2, 5)))
        exp += [c for c in EXPERTISE_ADD.get(mid, []) if c not in exp]
        forced = NEEDS_ADD.get(mid, [])
        exp = [c for c in exp if c not in forced]
        other = [c for c in COMP if c not in GAP_COMPS and c not in exp]
        near = [c for c in pool if c not in exp]
        needs = []
        for _ in range(rng.randint(1, 4)):
            src = near if near and rng.random() < 0.6 else other
            c = rng.choice(src)
            if c not in needs:
                needs.append(c)
        needs += [c for c in forced if c not in needs]
        joined = rand_date(date(2021, 3, 1), date(2025, 11, 30))
        prof[mid] = {"expertise": exp, "needs": needs, "joined": joined.isoformat()}
    return prof


def project_network():
    pm = {p[0]: set(project_members(p)) for p in PROJECTS}
    shared = {}
    for pid, ms in pm.items():
        for a in ms:
            for b in ms:
                if a != b:
                    shared.setdefault((a, b), set()).add(pid)
    return pm, shared


def build_offers(prof):
    offers = []
    for key, prov, title, desc, comps, eqf, ctry, langs, mode, hours, start, end in PLANTED_OFFERS:
        offers.append(
            dict(
                key=key,
                provider=prov,
                title=title,
                description=desc,
                competences=comps.split(";"),
                eqf_level=eqf,
                countries=ctry.split(";"),
                languages=langs.split(";"),
                mode=mode,
                duration_hours=hours,
                start=start,
                end=end,
            )
        )
    planted_tokens = [tokens(o["title"] + " " + o["description"]) for o in offers]
    all_tokens = list(planted_tokens)
    gap_teachers = {"c-ota-updates", "c-battery-second-life", "c-h2-refuelling"}
    providers = [m for m in MEMBERS]
    weights = [PROVIDER_WEIGHT[m[2]] for m in MEMBERS]
    # make sure every non-gap competence is taught at least once
    must_cover = [c for c in COMP if c not in gap_teachers]
    covered = {c for o in offers for c in o["competences"]}
    todo = [c for c in must_cover if c not in covered]
    target_random = 140
    made, attempts = 0, 0
    while made < target_random:
        attempts += 1
        assert attempts < 20000, "could not generate enough distinct offers"
        if todo:
            c0 = todo[0]
            cands = [m for m in MEMBERS if COMP[c0][3] in [G[f] for f in m[5].split()]]
            m = rng.choice(cands)
        else:
            m = rng.choices(providers, weights)[0]
            exp = [c for c in prof[m[0]]["expertise"] if c not in gap_teachers]
            fpool = [c for f in m[5].split() for c in BY_GROUP[G[f]] if c not in gap_teachers]
            c0 = rng.choice(exp) if exp and rng.random() < 0.75 else rng.choice(fpool)
        comps = [c0]
        if rng.random() < 0.45:
            same = [c for c in BY_GROUP[COMP[c0][3]] if c != c0 and c not in gap_teachers]
            comps.append(rng.choice(same))
            if rng.random() < 0.25:
                extra = rng.choice(BY_GROUP["transversal"])
                if extra not in comps:
                    comps.append(extra)
        eqf = rng.choice(EQF_BY_TYPE[m[2]])
        band = "low" if eqf <= 4 else ("mid" if eqf == 5 else "high")
        aud = rng.choice({"low": AUD_LOW, "mid": AUD_MID, "high": AUD_HIGH}[band])
        mode = rng.choices(["in_person", "blended", "online"], [5, 3, 2])[0]
        lab, topic = COMP[c0][1], COMP[c0][4]
        title = rng.choice(TITLE_PATTERNS).format(L=lab, A=aud)
        parts = [
            rng.choice(INTRO).format(a=aud, t=topic, L=lab, l=lab if lab.isupper() else lab.lower())
        ]
        if len(comps) > 1:
            parts.append(rng.choice(SECOND).format(t=COMP[comps[1]][4]))
        parts.append(rng.choice(FORMAT[mode]))
        pre = rng.choice(PREREQ[band])
        if pre:
            parts.append(pre)
        out = rng.choice(OUTCOME).format(e=rng.choice([2, 3, 5, 6]))
        if out:
            parts.append(out)
        ext = rng.choice(EXTRA)
        if ext:
            parts.append(ext)
        desc = " ".join(cap(p) for p in parts)
        tk = tokens(title + " " + desc)
        if any(jaccard(tk, o) > 0.3 for o in all_tokens):
            continue
        ctry = [m[3]]
        if rng.random() < 0.12:
            extra = rng.choice(sorted(LANG))
            if extra not in ctry:
                ctry.append(extra)
        langs = []
        for c in ctry:
            for lang in LANG[c].split(";"):
                if lang not in langs:
                    langs.append(lang)
        if (mode == "online" or eqf >= 6) and "en" not in langs and rng.random() < 0.6:
            langs.append("en")
        if mode == "online":
            hours = rng.choice([4, 6, 8, 12, 16, 20, 30])
        else:
            hours = rng.choice([8, 16, 24, 32, 40, 60, 80, 120, 160])
        if eqf >= 7 and rng.random() < 0.4:
            hours = rng.choice([150, 180, 240])
        start = end = ""
        if rng.random() < 0.72:
            s = rand_date(date(2025, 9, 1), date(2026, 11, 30))
            e = s + timedelta(
                days=max(0, hours // 8 - 1) if mode == "in_person" else rng.randint(7, 120)
            )
            start, end = s.isoformat(), e.isoformat()
            if rng.random() < 0.1:
                end = ""
        offers.append(
            dict(
                key=f"rnd-{made:03d}",
                provider=m[0],
                title=title,
                description=desc,
                competences=comps,
                eqf_level=eqf,
                countries=ctry,
                languages=langs,
                mode=mode,
                duration_hours=hours,
                start=start,
                end=end,
            )
        )
        all_tokens.append(tk)
        if todo and c0 == todo[0]:
            todo.pop(0)
        made += 1
    rng.shuffle(offers)
    for i, o in enumerate(offers, 1):
        o["id"] = f"t-{i:04d}"
        o["url"] = (
            f"https://www.{slug(MEM[o['provider']][1])[:40].rstrip('-')}.example/courses/{slug(o['title'])[:60].rstrip('-')}-{i:04d}"
        )
    return offers


def prune_needs(prof, offers):
    """Keep the gap analysis readable: a seeded random need is dropped when no offer
    in the member's country teaches it; planted needs (NEEDS_ADD) are always kept."""
    taught = {}
    for o in offers:
        for c in o["competences"]:
            taught.setdefault(c, set()).update(o["countries"])
    for mid, _n, _t, ctry, _c, _f in MEMBERS:
        forced = NEEDS_ADD.get(mid, [])
        keep = [c for c in prof[mid]["needs"] if c in forced or ctry in taught.get(c, ())]
        if not keep:
            cands = sorted(
                c for c, cs in taught.items() if ctry in cs and c not in prof[mid]["expertise"]
            )
            keep = [rng.choice(cands)]
        prof[mid]["needs"] = keep


def country_gaps(prof, offers):
    taught = {}
    for o in offers:
        for c in o["competences"]:
            taught.setdefault(c, set()).update(o["countries"])
    gaps = {}
    for mid, _n, _t, ctry, _c, _f in MEMBERS:
        for c in prof[mid]["needs"]:
            if ctry not in taught.get(c, ()):
                gaps.setdefault((c, ctry), []).append(mid)
    return [
        {"competence": c, "country": k, "needed_by": v, "taught_in": sorted(taught.get(c, ()))}
        for (c, k), v in sorted(gaps.items())
    ]


# --------------------------------------------------------------------------
# Poll
# --------------------------------------------------------------------------
ANSWERS = {
    "limited-resources": [
        "We simply do not have the staff or budget to join more projects.",
        "Our training budget was cut again this year.",
        "Lack of funding for co-financing EU projects.",
        "Not enough time: our engineers are fully booked with production.",
        "Small companies cannot afford to release staff for training.",
        "Limited human resources in our HR department.",
        "Financial constraints, especially the own contribution in funded projects.",
        "We lack the capacity to prepare proposals.",
        "Too few hands and too little money.",
        "The cost of sending trainers abroad is too high for us.",
        "Our team is overstretched and has no time left for extra work.",
        "Internal resources are limited and priorities change every quarter.",
        "Budget.",
        "No dedicated staff for skills topics, it is done on top of daily work.",
        "Money and time, as always.",
        "We cannot afford the administrative workload of applications.",
        "Headcount freeze means no one can take on extra tasks.",
        "Limited financial means to upgrade our training equipment.",
        "Our workload is too high to free up trainers.",
        "We are understaffed in the training department.",
        "Personnel shortages in the workshops.",
        "Lack of resources, both financial and human.",
    ],
    "fragmentation": [
        "Too many parallel initiatives doing the same thing.",
        "Efforts are duplicated between regions and nobody knows who does what.",
        "Poor coordination between national and EU skills programmes.",
        "We see overlapping projects on battery skills that never talk to each other.",
        "Fragmented landscape of initiatives, hard to see the full picture.",
        "Every region reinvents the wheel with its own curriculum.",
        "Missed opportunities because knowledge sits in silos.",
        "Lack of coordination between industry and schools.",
        "Different clusters run similar surveys without aligning.",
        "Activities are scattered across too many channels.",
        "Duplication of work between member states.",
        "Nobody coordinates the many pilot projects, so results get lost.",
        "Disconnected initiatives at local level.",
        "The same courses are developed twice by neighbouring regions.",
        "We often find out too late that someone else already did the same work: pure duplication.",
    ],
    "lack-of-recognition": [
        "Our courses are not recognised outside our country.",
        "No agreed competence framework for battery jobs.",
        "Certificates from short trainings are not accepted by employers abroad.",
        "Lack of recognition of skills initiatives at EU level.",
        "Micro-credentials have no formal status in national systems.",
        "Accreditation takes years.",
        "Workers cannot get their skills validated.",
        "There is no common standard for high-voltage qualification across Europe.",
        "National authorities do not acknowledge sector certificates.",
        "Missing mutual recognition of training between member states.",
        "Qualifications are defined nationally, so our European curriculum has little value.",
        "Skills frameworks differ from one country to the next.",
        "No credential that employers trust.",
    ],
    "networking": [
        "Meeting new partners for joint projects.",
        "Connections with OEMs and suppliers in other countries.",
        "Exchange ideas with peers.",
        "Networking, networking, networking.",
        "Finding partners for Erasmus+ proposals.",
        "Getting to know training providers in other regions.",
        "A platform for collaboration with universities.",
        "Contacts to research centres working on hydrogen.",
        "Building a community of automotive trainers.",
        "Matchmaking between companies and schools.",
        "Meet people who face the same challenges.",
        "Collaboration opportunities with other clusters.",
        "To connect with social partners in other member states.",
        "Networking events and site visits.",
        "Finding consortium partners.",
        "Access to a network of more than 100 organisations.",
        "Meeting potential customers and partners.",
        "Connecting with organisations in Central and Eastern Europe.",
        "Personal contacts matter most for us.",
        "Cross-border collaboration.",
        "New connections with start-ups.",
        "Meeting the right people.",
        "Exchanging ideas with other members.",
        "Join forces with regions facing the same transition.",
    ],
    "best-practices": [
        "Learning from each other's good practices.",
        "Sharing best practices on reskilling.",
        "Knowledge transfer from OEMs to smaller suppliers.",
        "Seeing concrete examples of successful training programmes.",
        "Peer learning between VET schools.",
        "Case studies of how others handled the transition.",
        "Lessons learned from previous projects.",
        "Replicating what works in other regions.",
        "Learn from pioneers in battery training.",
        "Good practice examples for apprenticeships.",
        "Benefit from the experience of others.",
        "Transfer of know-how.",
        "Showcasing proven approaches.",
    ],
    "staying-informed": [
        "Staying informed about new regulations.",
        "Updates on EU policy developments.",
        "Keeping up with technology trends.",
        "Information on available training offers.",
        "A regular newsletter on upcoming calls.",
        "Being up to date on skills policy.",
        "Know what is coming in legislation, e.g. the battery regulation.",
        "Overview of market trends.",
        "Monitoring of skills needs and forecasts.",
        "Insights into the latest developments in e-mobility.",
        "What training offers exist in other countries.",
        "News about the automotive transition.",
    ],
    None: [
        "No comment.",
        "Not sure yet.",
        "n/a",
        "-",
        "Nothing to add.",
        "Difficult to say.",
        "See previous answer.",
        "We are still discussing this internally.",
    ],
}
POLL_PLAN = [
    ("blocker", "limited-resources", 36),
    ("blocker", "fragmentation", 22),
    ("blocker", "lack-of-recognition", 16),
    ("blocker", None, 4),
    ("goal", "networking", 46),
    ("goal", "best-practices", 18),
    ("goal", "staying-informed", 14),
    ("goal", None, 4),
]
PREFIXES = [
    "",
    "",
    "",
    "Honestly, ",
    "Mainly: ",
    "For us: ",
    "Above all, ",
    "In our case, ",
    "Clearly: ",
]


def build_poll():
    rows = []
    seen = set()
    none_pool = list(ANSWERS[None])
    rng.shuffle(none_pool)
    for kind, pid, n in POLL_PLAN:
        for i in range(n):
            if pid is None:
                text = none_pool.pop()
            else:
                base = ANSWERS[pid]
                for _try in range(100):
                    s = base[i % len(base)] if i < len(base) else rng.choice(base)
                    p = rng.choice(PREFIXES) if i >= len(base) or rng.random() < 0.2 else ""
                    text = p + (s[0].lower() + s[1:] if p and not s[:2].isupper() else s)
                    if text not in seen:
                        break
                seen.add(text)
            rows.append({"kind": kind, "intended": pid, "answer": text})
    rng.shuffle(rows)
    member_ids = [m[0] for m in MEMBERS]
    start = datetime(2026, 1, 8, 8, 0, 0)
    stamps = sorted(start + timedelta(seconds=rng.randint(0, 23 * 24 * 3600)) for _ in rows)
    anonymous = set(rng.sample(range(len(rows)), 24))  # 15 % anonymous answers
    for i, (r, ts) in enumerate(zip(rows, stamps, strict=True)):
        r["respondent"] = "" if i in anonymous else rng.choice(member_ids)
        r["submitted_at"] = ts.strftime("%Y-%m-%dT%H:%M:%S") + "+01:00"
    return rows


# --------------------------------------------------------------------------
# Checks of the planted features
# --------------------------------------------------------------------------
def components(pm):
    parent = {m[0]: m[0] for m in MEMBERS}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ms in pm.values():
        ms = sorted(ms)
        for x in ms[1:]:
            parent[find(x)] = find(ms[0])
    in_proj = sorted({m for ms in pm.values() for m in ms})
    comps = {}
    for m in in_proj:
        comps.setdefault(find(m), []).append(m)
    return sorted((sorted(v) for v in comps.values()), key=lambda v: v[0]), [
        m[0] for m in MEMBERS if m[0] not in in_proj
    ]


def check(prof, offers, poll):
    pm, shared = project_network()
    by_key = {o["key"]: o for o in offers}
    # a) duplicate clusters
    for name, keys in DUP_CLUSTERS.items():
        os_ = [by_key[k] for k in keys]
        assert len({o["provider"] for o in os_}) == len(os_), name
        assert len({tuple(o["countries"]) for o in os_}) == 1, name
        assert len({tuple(sorted(o["competences"])) for o in os_}) == 1, name
        assert max(o["eqf_level"] for o in os_) - min(o["eqf_level"] for o in os_) <= 1, name
        for i, a in enumerate(os_):
            for b in os_[i + 1 :]:
                assert (a["provider"], b["provider"]) not in shared, (
                    name,
                    a["provider"],
                    b["provider"],
                )
                sim = jaccard(
                    tokens(a["title"] + " " + a["description"]),
                    tokens(b["title"] + " " + b["description"]),
                )
                assert sim > 0.7, (name, sim)
    p11, p23 = pm["p-011"], pm["p-023"]
    assert not (p11 & p23)
    # b) decoy
    a, b = by_key["decoy-a"], by_key["decoy-b"]
    assert not set(a["competences"]) & set(b["competences"])
    # c) recognition sets
    for name, keys in REC_SETS.items():
        os_ = [by_key[k] for k in keys]
        assert len({o["countries"][0] for o in os_}) == len(os_), name
        assert (
            len({o["eqf_level"] for o in os_}) == 1
            and len({tuple(sorted(o["competences"])) for o in os_}) == 1
        )
    # d) gaps
    for comp, ctry, mids, _where in PLANTED_GAPS:
        assert not any(comp in o["competences"] and ctry in o["countries"] for o in offers), (
            comp,
            ctry,
        )
        for mid in mids:
            assert comp in prof[mid]["needs"] and MEM[mid][3] == ctry
    assert not any("c-h2-refuelling" in o["competences"] for o in offers)
    assert {c for o in offers if "c-ota-updates" in o["competences"] for c in o["countries"]} == {
        "FR"
    }
    # e) unaddressed priority
    assert not any("lack-of-recognition" in p[10] for p in PROJECTS)
    # f) good partners
    for a_, b_, comp, key in GOOD_PARTNERS:
        assert comp in prof[a_]["needs"] and comp in prof[b_]["expertise"], (a_, b_)
        assert by_key[key]["provider"] == b_ and comp in by_key[key]["competences"]
        assert (a_, b_) not in shared
    # g) network
    comps, isolated = components(pm)
    assert len(comps) >= 3 and len(isolated) >= 5, (len(comps), isolated)
    pm_wo = {pid: ms - {"m-047"} for pid, ms in pm.items()}
    comps_wo, _ = components(pm_wo)
    assert len(comps_wo) == len(comps) + 1, "m-047 must be the only bridge"
    # poll classifier consistency
    for r in poll:
        sc = classify(r["answer"])
        if r["intended"] is None:
            assert not sc, r
        else:
            best = max(sc.values()) if sc else 0
            assert sc.get(r["intended"], 0) == best and list(sc.values()).count(best) == 1, (r, sc)
    return comps, isolated


# --------------------------------------------------------------------------
# Write
# --------------------------------------------------------------------------
def write(name, header, rows):
    with open(OUT / name, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    prof = build_members()
    offers = build_offers(prof)
    prune_needs(prof, offers)
    poll = build_poll()
    comps, isolated = check(prof, offers, poll)

    esco_ids = set(rng.sample(range(len(COMPETENCES)), 30))
    comp_rows = []
    for i, (cid, label, alts, group, _topic) in enumerate(COMPETENCES):
        uri = (
            f"http://data.europa.eu/esco/skill/{uuid.UUID(int=rng.getrandbits(128), version=4)}"
            if i in esco_ids
            else ""
        )
        comp_rows.append([cid, label, alts, group, uri])
    write(
        "competences.csv",
        ["id", "label", "alt_labels", "esco_uri", "group"],
        [[r[0], r[1], r[2], r[4], r[3]] for r in comp_rows],
    )

    write(
        "priorities.csv",
        ["id", "kind", "label", "description", "keywords"],
        [[p[0], p[1], p[2], p[3], ";".join(p[4])] for p in PRIORITIES],
    )

    label_cells = {(mid, col): (cid, lab) for mid, col, cid, lab in LABEL_INSTEAD_OF_ID}
    mem_rows = []
    for mid, name, typ, ctry, city, _f in MEMBERS:
        cells = {}
        for col in ("expertise", "needs"):
            vals = list(prof[mid][col])
            if (mid, col) in label_cells:
                cid, lab = label_cells[(mid, col)]
                vals = [lab if v == cid else v for v in vals]
            cells[col] = ";".join(vals)
        mem_rows.append(
            [
                mid,
                name,
                typ,
                COUNTRY_AS_NAME.get(mid, ctry),
                city,
                f"https://www.{slug(name)[:40].rstrip('-')}.example",
                cells["expertise"],
                cells["needs"],
                prof[mid]["joined"],
            ]
        )
    write(
        "members.csv",
        ["id", "name", "type", "country", "city", "website", "expertise", "needs", "joined"],
        mem_rows,
    )

    proj_rows = []
    for p in PROJECTS:
        ctry = sorted(
            {MEM[m][3] for m in project_members(p)}
            | {NON_MEMBERS[x] for x in p[8] if x in NON_MEMBERS}
        )
        proj_rows.append(
            [
                p[0],
                p[1],
                p[2],
                p[3],
                p[4],
                p[5],
                p[6],
                p[7],
                ";".join(p[8]),
                ";".join(ctry),
                p[9],
                p[10],
                p[11],
                f"https://www.{slug(p[1])}-project.example",
            ]
        )
    write(
        "projects.csv",
        [
            "id",
            "acronym",
            "title",
            "programme",
            "start",
            "end",
            "budget_eur",
            "coordinator",
            "partners",
            "countries",
            "competences",
            "priorities",
            "description",
            "url",
        ],
        proj_rows,
    )

    write(
        "training_offers.csv",
        [
            "id",
            "title",
            "provider",
            "description",
            "competences",
            "eqf_level",
            "countries",
            "languages",
            "mode",
            "duration_hours",
            "start",
            "end",
            "url",
        ],
        [
            [
                o["id"],
                o["title"],
                o["provider"],
                o["description"],
                ";".join(o["competences"]),
                o["eqf_level"],
                ";".join(o["countries"]),
                ";".join(o["languages"]),
                o["mode"],
                o["duration_hours"],
                o["start"],
                o["end"],
                o["url"],
            ]
            for o in offers
        ],
    )

    write(
        "poll_responses.csv",
        ["respondent", "question_kind", "answer", "submitted_at"],
        [[r["respondent"], r["kind"], r["answer"], r["submitted_at"]] for r in poll],
    )

    key2id = {o["key"]: o["id"] for o in offers}
    manifest = {
        "seed": SEED,
        "duplicate_offer_clusters": {k: [key2id[x] for x in v] for k, v in DUP_CLUSTERS.items()},
        "duplicate_projects": [["p-011", "p-023"]],
        "decoy_offer_pair": [key2id["decoy-a"], key2id["decoy-b"]],
        "recognition_sets": {k: [key2id[x] for x in v] for k, v in REC_SETS.items()},
        "gaps": [
            {"competence": c, "country": ctry, "needed_by": mids, "taught": w}
            for c, ctry, mids, w in PLANTED_GAPS
        ],
        "all_country_gaps": country_gaps(prof, offers),
        "gap_offers": {k: key2id[k] for k in ("gap-ota-fr", "gap-2l-de", "gap-2l-se")},
        "unaddressed_priority": "lack-of-recognition",
        "good_partners": [
            {"needs": a, "offers": b, "competence": c, "offer": key2id[k]}
            for a, b, c, k in GOOD_PARTNERS
        ],
        "network_components": comps,
        "isolated_members": isolated,
        "broker": "m-047",
        "series": {k: [key2id[x] for x in v] for k, v in SERIES.items()},
        "fuzzy_partner_names": FUZZY_PARTNERS,
        "non_member_partners": sorted(NON_MEMBERS),
        "country_names_instead_of_codes": COUNTRY_AS_NAME,
        "labels_instead_of_ids": [
            {"member": m, "column": c, "competence": i, "written_as": lab}
            for m, c, i, lab in LABEL_INSTEAD_OF_ID
        ],
        "poll_unmatched_answers": sorted({r["answer"] for r in poll if r["intended"] is None}),
    }
    PLANTED.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"members={len(mem_rows)} projects={len(proj_rows)} offers={len(offers)} "
        f"competences={len(comp_rows)} priorities={len(PRIORITIES)} poll={len(poll)}"
    )


if __name__ == "__main__":
    main()
