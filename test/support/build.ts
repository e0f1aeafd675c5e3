// Vitest's global setup: the build that `npm start` runs, made once per test run, so every test
// that speaks HTTP to a gateway tests what users run.
import { bundle } from "../../src/build.js";

export default async function buildOnce(): Promise<void> {
  await bundle();
}
