import type { PracticeArea } from "../../schema";

export interface PracticeAreaEntry {
  id: PracticeArea;
  name: string;
  job_titles: readonly string[];
}

/**
 * The five communities of practice, fixed, in this order, with the job titles people in each usually hold:
 * what a profile's `practice_area` and a skill's `practice_areas` name.
 */
export const PRACTICE_AREA_CATALOG = [
  {
    id: "data_science",
    name: "Data Science",
    job_titles: [
      "Data Scientist",
      "Data Analyst",
      "Data Engineer",
      "Machine Learning Engineer",
      "Analytics Engineer",
      "Business Intelligence Analyst",
      "Statistician",
    ],
  },
  {
    id: "engineering",
    name: "Engineering",
    job_titles: [
      "Back End Developer",
      "Front End Developer",
      "Full Stack Developer",
      "Mobile Developer",
      "Software Architect",
      "Quality Assurance Engineer",
    ],
  },
  {
    id: "devops",
    name: "DevOps",
    job_titles: [
      "Site Reliability Engineer",
      "DevOps Engineer",
      "Security Engineer",
      "Cloud Engineer",
      "Platform Engineer",
      "Database Administrator",
    ],
  },
  {
    id: "project_management",
    name: "Project/Product Management",
    job_titles: [
      "Product Manager",
      "Project Manager",
      "Program Manager",
      "Business Analyst",
      "Scrum Master",
      "Product Owner",
      "Delivery Manager",
    ],
  },
  {
    id: "ui_ux",
    name: "UI/UX",
    job_titles: [
      "UI/UX Designer",
      "UX Researcher",
      "UX Writer",
      "Interaction Designer",
      "Visual Designer",
      "Service Designer",
      "Accessibility Specialist",
    ],
  },
] as const satisfies readonly PracticeAreaEntry[];

/** A practice area's label ("Data Science"). */
export function practiceAreaName(id: PracticeArea): string {
  return PRACTICE_AREA_CATALOG.find((area) => area.id === id)?.name ?? id;
}
