/**
 * `npm run schema`: rewrite experiments/experiment.schema.json from the validator. Run it after
 * changing the experiment's zod schema (or a workload's); test/lab/experiment_schema.test.ts fails
 * until the shipped file matches.
 */
import { writeFileSync } from 'node:fs';
import { experimentJsonSchema } from './experiment.js';
import { jsonSchemaText, shippedSchemaPath } from './experiment_schema.js';

const path = shippedSchemaPath();
writeFileSync(path, jsonSchemaText(experimentJsonSchema()));
process.stdout.write(`wrote ${path}\n`);
