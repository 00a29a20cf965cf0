// Starts every GOV.UK Frontend component on the page (loaded as a module).
import { initAll } from "../govuk-frontend/dist/govuk/govuk-frontend.min.js";

initAll();
