import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { RESULT_SCHEMA, RESULT_VERSION, type StoredResult } from './result-types.js';

export const SCHEMA_PATH = new URL(`../../schema/result-v${RESULT_VERSION}.schema.json`, import.meta.url);

let compiled: ReturnType<Ajv2020['compile']> | undefined;

function validator(): ReturnType<Ajv2020['compile']> {
  if (!compiled) {
    // `format` keywords are documentation here; ajv-formats would add a dependency for one date.
    const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
    compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  }
  return compiled;
}

function describe(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

export type Validation =
  { readonly ok: true; readonly result: StoredResult } | { readonly ok: false; readonly problem: string };

/**
 * Checks a parsed result file against the published schema. A file of another schema version is
 * refused with a message that says which version it is, before any detail of its shape.
 */
export function validateResult(data: unknown): Validation {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problem: 'not a wgprof result (not a JSON object)' };
  }
  const record = data as Record<string, unknown>;
  if (record.schema !== RESULT_SCHEMA)
    return { ok: false, problem: 'not a wgprof result (no "schema": "wgprof-result")' };
  if (record.version !== RESULT_VERSION) {
    const newer = typeof record.version === 'number' && record.version > RESULT_VERSION;
    return {
      ok: false,
      problem: `result schema version ${JSON.stringify(record.version)} ${newer ? 'is newer than' : 'is not'} the version ${RESULT_VERSION} this wgprof reads${newer ? ': upgrade wgprof' : ''}`,
    };
  }
  const validate = validator();
  if (!validate(data)) return { ok: false, problem: describe(validate.errors ?? []) };
  return { ok: true, result: data as StoredResult };
}
