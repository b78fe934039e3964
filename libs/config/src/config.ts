import { z } from 'zod';

/**
 * Validated configuration from environment variables.
 *
 * Every app declares one zod object whose keys are the environment variable
 * names it reads. `loadConfig` parses `process.env` once at boot; a bad or
 * missing value becomes a `ConfigError` that names each offending variable,
 * and `loadConfigOrExit` turns that into a one-line message and exit code 78
 * (EX_CONFIG) instead of an `undefined` at 3 a.m.
 */
export type EnvSchema = z.ZodObject<z.ZodRawShape>;

export class ConfigError extends Error {
  constructor(readonly problems: ReadonlyArray<{ variable: string; problem: string }>) {
    super(
      `Invalid configuration: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

export function loadConfig<S extends EnvSchema>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  // Empty strings count as unset: `FOO= node app` should not satisfy a required FOO.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(root)'),
      problem: issue.code === 'invalid_type' && cleaned[String(issue.path[0])] === undefined
        ? 'is required but not set'
        : `is invalid: ${issue.message}`,
    })),
  );
}

export const EX_CONFIG = 78;

export function loadConfigOrExit<S extends EnvSchema>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EX_CONFIG);
    }
    throw error;
  }
}
