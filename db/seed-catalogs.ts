// The global catalogs a fresh database starts with: the delivery types programs and opportunities name, and
// the skills profiles and opportunities hold. Idempotent: a slug or a skill name already there (in any case)
// is left as it is (a platform administrator may have edited it).

import { presentDeliveryType } from "../functions/delivery-types/schemas";
import { systemActor } from "../functions/platform/actor";
import { type AuditScope, PLATFORM_ORGANISATION_ID, recordChange, recordChanges } from "../functions/platform/audit";
import type { Database } from "../functions/platform/db";
import { presentSkill } from "../functions/skills/schemas";
import { deliveryTypes, PRACTICE_AREAS, type PracticeArea, skills } from "../schema";

/** The seed writes the global catalogs: on the platform's trail, by the seed. */
const SEED_SCOPE: AuditScope = { actor: systemActor("seed"), meta: null, organisationId: PLATFORM_ORGANISATION_ID };

export const SEEDED_DELIVERY_TYPES = [
  {
    slug: "remote-volunteering",
    name: "Remote volunteering",
    description: "Work done online, from anywhere: translation, design, data entry, remote support.",
  },
  {
    slug: "field-work",
    name: "Field work",
    description: "Work done on site: surveys, visits, installations, distributions.",
  },
  { slug: "training", name: "Training", description: "Courses and workshops, given or taken." },
  { slug: "research", name: "Research", description: "Studies, data collection and analysis." },
  { slug: "mentoring", name: "Mentoring", description: "One-to-one guidance over a period of time." },
] as const;

/** Adds the delivery types that are missing, each on the platform's audit trail (by the seed). */
export async function seedDeliveryTypes(db: Database): Promise<string[]> {
  return db.transaction(async (tx) => {
    const added = await tx
      .insert(deliveryTypes)
      .values(SEEDED_DELIVERY_TYPES.map((type) => ({ ...type })))
      .onConflictDoNothing()
      .returning();
    for (const row of added) {
      await recordChange(tx, SEED_SCOPE, {
        action: "delivery_type.created",
        resource: { type: "delivery_type", id: row.id, name: row.slug },
        before: null,
        after: presentDeliveryType(row),
      });
    }
    return added.map((row) => row.slug);
  });
}

const [DS, EN, OPS, PM, UX] = PRACTICE_AREAS;

/** About a hundred skills across the five practice areas: `[name, practice areas, description]`. */
const SKILL_CATALOG: readonly (readonly [string, readonly PracticeArea[], string])[] = [
  ["Python", [DS, EN], "A general-purpose language: data analysis, scripting, web back ends."],
  ["R", [DS], "A language for statistics, data analysis and graphics."],
  ["SQL", [DS, EN], "Querying and shaping relational data."],
  ["pandas", [DS], "Data frames in Python: cleaning, joining, reshaping and summarising data."],
  ["NumPy", [DS], "Numerical arrays and linear algebra in Python."],
  ["Statistics", [DS], "Descriptive and inferential statistics, hypothesis tests, sampling."],
  ["Machine Learning", [DS], "Training, validating and tuning predictive models."],
  ["Deep Learning", [DS], "Neural networks for vision, language and other unstructured data."],
  ["Natural Language Processing", [DS], "Text classification, extraction, search and language models."],
  ["Computer Vision", [DS], "Image classification, detection and segmentation."],
  ["scikit-learn", [DS], "Classical machine learning in Python."],
  ["PyTorch", [DS], "Building and training neural networks."],
  ["TensorFlow", [DS], "Building, training and serving neural networks."],
  ["Data Visualization", [DS, UX], "Charts and dashboards that tell the story in the data."],
  ["Tableau", [DS], "Dashboards and visual analytics in Tableau."],
  ["Power BI", [DS], "Reports and dashboards in Microsoft Power BI."],
  ["Looker", [DS], "Modelling and exploring data with Looker and LookML."],
  ["dbt", [DS], "Transforming data in the warehouse with tested, versioned SQL models."],
  ["Apache Spark", [DS, OPS], "Distributed data processing at scale."],
  ["Apache Airflow", [DS, OPS], "Scheduling and monitoring data pipelines as code."],
  ["ETL Pipelines", [DS], "Extracting, transforming and loading data between systems."],
  ["Data Modeling", [DS, EN], "Designing schemas for analysis: star schemas, normal forms, data vaults."],
  ["Data Warehousing", [DS], "Building and running analytical stores such as BigQuery, Snowflake, Redshift."],
  ["Snowflake", [DS], "The Snowflake data cloud: warehousing, sharing, performance."],
  ["BigQuery", [DS], "Google's serverless data warehouse."],
  ["Excel", [DS, PM], "Spreadsheets: formulas, pivot tables, data cleaning."],
  ["A/B Testing", [DS, PM], "Designing and analysing controlled experiments."],
  ["Forecasting", [DS], "Time-series methods to predict demand, costs and trends."],
  ["Geospatial Analysis", [DS], "Maps and location data: GIS, spatial joins, QGIS."],
  ["Data Cleaning", [DS], "Finding and fixing missing, duplicated and inconsistent data."],
  ["Jupyter", [DS], "Notebooks for exploratory analysis and reproducible reports."],
  ["Survey Design", [DS, UX], "Questionnaires and sampling that yield data worth analysing."],
  ["JavaScript", [EN], "The language of the web, in the browser and on the server."],
  ["TypeScript", [EN], "JavaScript with static types."],
  ["React", [EN], "Building user interfaces with React components and hooks."],
  ["Vue.js", [EN], "Building user interfaces with Vue."],
  ["Angular", [EN], "Building web applications with Angular."],
  ["Next.js", [EN], "React applications with server rendering and routing."],
  ["HTML & CSS", [EN, UX], "Semantic markup and styling for the web."],
  ["Node.js", [EN], "JavaScript on the server: APIs, tooling, services."],
  ["Java", [EN], "Back-end services and Android apps in Java."],
  ["Kotlin", [EN], "Android apps and JVM services in Kotlin."],
  ["Swift", [EN], "iOS and macOS apps in Swift."],
  ["Go", [EN, OPS], "Services and tools in Go."],
  ["Rust", [EN], "Safe, fast systems programming in Rust."],
  ["C#", [EN], "Applications and services on .NET."],
  ["PHP", [EN], "Web back ends in PHP."],
  ["Ruby on Rails", [EN], "Web applications with Ruby on Rails."],
  ["Django", [EN], "Web applications and APIs with Django."],
  ["Flask", [EN], "Small web services in Python with Flask."],
  ["Spring Boot", [EN], "Java services with Spring Boot."],
  ["PostgreSQL", [EN, OPS, DS], "Designing, querying and tuning PostgreSQL databases."],
  ["MySQL", [EN], "Designing and running MySQL databases."],
  ["MongoDB", [EN], "Document databases with MongoDB."],
  ["REST API Design", [EN], "Resource-oriented HTTP APIs that are consistent and documented."],
  ["GraphQL", [EN], "Schemas, resolvers and clients for GraphQL APIs."],
  ["React Native", [EN], "Cross-platform mobile apps with React Native."],
  ["Flutter", [EN], "Cross-platform mobile apps with Flutter and Dart."],
  ["Android Development", [EN], "Native Android apps."],
  ["iOS Development", [EN], "Native iOS apps."],
  ["Automated Testing", [EN], "Unit, integration and end-to-end tests that catch regressions."],
  ["Git", [EN, OPS], "Version control: branches, reviews, history."],
  ["WordPress", [EN], "Building and maintaining WordPress sites."],
  ["Software Architecture", [EN], "Structuring systems so they are easy to change and run."],
  ["Web Performance", [EN], "Making pages load and respond fast."],
  ["Kubernetes", [OPS], "Deploying and operating containers with Kubernetes."],
  ["Docker", [OPS, EN], "Packaging and running applications in containers."],
  ["Terraform", [OPS], "Infrastructure as code with Terraform."],
  ["AWS", [OPS], "Building and running systems on Amazon Web Services."],
  ["Google Cloud", [OPS], "Building and running systems on Google Cloud."],
  ["Microsoft Azure", [OPS], "Building and running systems on Azure."],
  ["CI/CD", [OPS, EN], "Automated build, test and deployment pipelines."],
  ["GitHub Actions", [OPS], "Workflows for building, testing and deploying from GitHub."],
  ["Linux Administration", [OPS], "Running and troubleshooting Linux servers."],
  ["Bash", [OPS], "Shell scripting for automation."],
  ["Observability", [OPS], "Metrics, logs and traces that explain what a system is doing."],
  ["Prometheus", [OPS], "Metrics collection and alerting with Prometheus."],
  ["Grafana", [OPS], "Dashboards for metrics and logs."],
  ["Incident Response", [OPS], "Handling outages calmly: triage, communication, postmortems."],
  ["Networking", [OPS], "TCP/IP, DNS, load balancing, firewalls."],
  ["Application Security", [OPS, EN], "Secure coding, threat modelling, the OWASP Top 10."],
  ["Penetration Testing", [OPS], "Finding vulnerabilities before attackers do."],
  ["Identity & Access Management", [OPS], "Authentication, authorisation, SSO and least privilege."],
  ["Ansible", [OPS], "Configuration management with Ansible."],
  ["Serverless", [OPS, EN], "Functions and managed services instead of servers."],
  ["Cloud Cost Optimization", [OPS], "Keeping cloud bills in check."],
  ["Database Administration", [OPS], "Backups, replication, upgrades and tuning."],
  ["Roadmapping", [PM], "Turning strategy into a sequenced, shared plan."],
  ["Agile/Scrum", [PM], "Working in sprints: planning, stand-ups, reviews, retrospectives."],
  ["Kanban", [PM], "Visualising work and limiting work in progress."],
  ["Stakeholder Management", [PM], "Keeping the people who matter informed and on board."],
  ["Jira", [PM], "Planning and tracking work in Jira."],
  ["Requirements Gathering", [PM], "Finding out what is needed and writing it down clearly."],
  ["User Stories", [PM], "Writing stories with acceptance criteria a team can build."],
  ["Product Strategy", [PM], "Choosing which problems to solve, for whom, and why."],
  ["Prioritization", [PM], "Deciding what comes first: RICE, MoSCoW, cost of delay."],
  ["Budgeting", [PM], "Planning and tracking a project's money."],
  ["Risk Management", [PM], "Spotting, weighing and reducing what could go wrong."],
  ["Grant Writing", [PM], "Proposals and reports that win and keep funding."],
  ["Facilitation", [PM, UX], "Running workshops and meetings that reach decisions."],
  ["Process Mapping", [PM], "Charting how work flows to find what to improve."],
  ["Product Analytics", [PM, DS], "Measuring how a product is used: funnels, retention, cohorts."],
  ["Volunteer Coordination", [PM], "Recruiting, onboarding and scheduling volunteers."],
  ["Figma", [UX], "Designing interfaces and prototypes in Figma."],
  ["User Research", [UX], "Interviews, observation and surveys that show what users need."],
  ["Usability Testing", [UX], "Watching people use a design to find where it fails them."],
  ["Prototyping", [UX], "Quick, testable versions of an idea, from paper to interactive."],
  ["Wireframing", [UX], "Low-fidelity layouts of screens and flows."],
  ["Interaction Design", [UX], "How an interface responds: flows, states, feedback."],
  ["Visual Design", [UX], "Typography, colour, layout and imagery."],
  ["Design Systems", [UX, EN], "Reusable components and guidelines that keep products consistent."],
  ["Accessibility (WCAG)", [UX, EN], "Designing and building for everyone, to WCAG 2.2."],
  ["UX Writing", [UX], "Interface text that helps people get things done."],
  ["Content Strategy", [UX], "Planning content that meets user and organisational needs."],
  ["Information Architecture", [UX], "Organising and labelling content so people find it."],
  ["Service Design", [UX, PM], "Designing the whole service, across channels and staff."],
  ["Journey Mapping", [UX], "Charting what people go through, step by step."],
  ["Illustration", [UX], "Drawings and icons for products and campaigns."],
  ["Adobe Creative Suite", [UX], "Photoshop, Illustrator and InDesign."],
  ["Localization", [UX], "Adapting products and content to other languages and cultures."],
];

export const SEEDED_SKILLS = SKILL_CATALOG.map(([name, areas, description]) => ({
  name,
  description,
  practice_areas: PRACTICE_AREAS.filter((area) => areas.includes(area)),
}));

/** Adds the skills that are missing (by name, any case), each `skill.created` on the platform's trail (by the seed). */
export async function seedSkills(db: Database): Promise<string[]> {
  return db.transaction(async (tx) => {
    const added = await tx
      .insert(skills)
      .values(SEEDED_SKILLS.map((s) => ({ name: s.name, description: s.description, practiceAreas: s.practice_areas })))
      .onConflictDoNothing()
      .returning();
    await recordChanges(
      tx,
      SEED_SCOPE,
      added.map((row) => ({
        action: "skill.created" as const,
        resource: { type: "skill", id: row.id, name: row.name },
        before: null,
        after: presentSkill(row),
      })),
    );
    return added.map((row) => row.name);
  });
}
