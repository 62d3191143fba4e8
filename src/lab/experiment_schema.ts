import { join } from 'node:path';
import { z } from 'zod';
import { MAX_SIZE, MAX_SIZE_STRING, SIZE_INPUTS, SIZE_PATTERN } from '../workload/options.js';
import { packageRoot } from './version.js';

/**
 * The JSON Schema of experiment files, generated from the zod validator (ExperimentFileSchema) so
 * the two cannot drift: editors read it for completion, hover help (the fields' .describe() text)
 * and squiggles. Shipped as experiments/experiment.schema.json; `npm run schema` rewrites it and
 * test/lab/experiment_schema.test.ts fails when the shipped file is stale.
 *
 * The input side of the validator (io: 'input'): fields with a default are optional. Draft-07,
 * the draft editors support best (VS Code, JetBrains, yaml-language-server).
 */

/** The file name, in experiments/, that shipped experiments point their `$schema` at. */
export const SCHEMA_FILE = 'experiment.schema.json';
/** Where the schema ships: experiments/experiment.schema.json in the package. */
export function shippedSchemaPath(): string {
  return join(packageRoot(), 'experiments', SCHEMA_FILE);
}

/** A stable identifier (not a download address: the schema ships with the experiments). */
export const SCHEMA_ID = 'urn:memcglab:experiment';

export type JsonSchema = { [key: string]: unknown };

/** The JSON Schema of `fileSchema` (ExperimentFileSchema: experiment.ts passes it, so this file does not import it). */
export function toExperimentJsonSchema(fileSchema: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(fileSchema, { target: 'draft-07', io: 'input', override: sizeFields }) as JsonSchema;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'memcglab experiment',
    description: 'A memcglab experiment: the machine, the policy, the workload and its seed (see README, "Experiment file").',
    ...rest,
  };
}

/** The file's text: what `npm run schema` writes and the test compares. */
export function jsonSchemaText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * Size fields are `number | string` to zod (the transform parses them); to an editor they are
 * whole bytes or a size string such as "512MiB". Defaults of size fields are output values (bytes),
 * which zod leaves out on the input side; they are valid input too, so they are written back.
 */
function sizeFields(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  const s = ctx.zodSchema as z.ZodType;
  const size = SIZE_INPUTS.get(s);
  if (size) {
    for (const k of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[k];
    ctx.jsonSchema.anyOf = [
      { type: 'integer', minimum: size.min, maximum: MAX_SIZE, description: 'bytes' },
      { type: 'string', pattern: SIZE_PATTERN, maxLength: MAX_SIZE_STRING, description: 'a size: 512MiB, 64 KiB, 4G (binary units)' },
    ];
    return;
  }
  const def = s._zod.def as { type: string; innerType?: z.ZodType; defaultValue?: unknown };
  if (def.type === 'default' && ctx.jsonSchema.default === undefined && isSize(def.innerType)) ctx.jsonSchema.default = def.defaultValue;
}

/** A size schema, or a described clone of one (a pipe whose input is a registered size input). */
function isSize(s: z.ZodType | undefined): boolean {
  const def = s?._zod.def as { type: string; in?: z.ZodType } | undefined;
  return def?.type === 'pipe' && def.in !== undefined && SIZE_INPUTS.has(def.in);
}
