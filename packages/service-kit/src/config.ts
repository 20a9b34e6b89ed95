import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * One setting of a service: where it comes from (an env var and the CLI flag
 * derived from it), what it means, and how its text is parsed. Declaring the
 * meaning beside the default keeps the schema the single source of the
 * settings table in each service's README.
 */
export interface Setting<T> {
  readonly env: string;
  readonly description: string;
  readonly schema: z.ZodType<T>;
  /** Text used when neither env nor flag is given; absent means "no value". */
  readonly default?: string;
  /** Secrets can also be given as a file path in `<ENV>_FILE`. */
  readonly secret?: boolean;
  /** The value outside `NODE_ENV=production` when nothing is given; start-up logs a warning. */
  readonly developmentDefault?: string;
}

export type SettingsSchema = Record<string, Setting<unknown>>;
export type Settings<S extends SettingsSchema> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

export function setting<T>(env: string, description: string, schema: z.ZodType<T>, options: Partial<Pick<Setting<T>, 'default' | 'secret' | 'developmentDefault'>> = {}): Setting<T> {
  return { env, description, schema, ...options };
}

/** `REDIS_URL` → `--redis-url`. */
export function flagFor(env: string): string {
  return `--${env.toLowerCase().replaceAll('_', '-')}`;
}

/** Raised with one line naming the setting and why it was refused. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly setting: string, reason: string) {
    super(`${setting}: ${reason}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  argv?: readonly string[];
}

export interface LoadedConfig<S extends SettingsSchema> {
  values: Settings<S>;
  /** Settings that fell back to an insecure development default: start-up warns about each. */
  developmentDefaults: string[];
  production: boolean;
}

/** Reads `--flag value` and `--flag=value` pairs; an unknown flag is an error. */
function parseFlags(argv: readonly string[], known: Map<string, string>): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const env = known.get(flag);
    if (!env) throw new ConfigError(arg, `unknown option (known: ${[...known.keys()].join(', ')})`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new ConfigError(flag, 'needs a value');
    values.set(env, value);
  }
  return values;
}

function rawValue(spec: Setting<unknown>, env: NodeJS.ProcessEnv, flags: Map<string, string>): string | undefined {
  const fromFlag = flags.get(spec.env);
  if (fromFlag !== undefined) return fromFlag;
  const fromEnv = env[spec.env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const file = spec.secret ? env[`${spec.env}_FILE`] : undefined;
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(`${spec.env}_FILE`, `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return undefined;
}

/**
 * Reads every setting of a schema from CLI flags, then env vars, then
 * `*_FILE` for secrets, then defaults; validates each and fails on the first
 * bad one with a ConfigError whose message is the one line to print.
 */
export function loadConfig<S extends SettingsSchema>(schema: S, sources: ConfigSources = {}): LoadedConfig<S> {
  const env = sources.env ?? process.env;
  const known = new Map(Object.values(schema).map((spec) => [flagFor(spec.env), spec.env]));
  const flags = parseFlags(sources.argv ?? [], known);
  const production = env.NODE_ENV === 'production';
  const values: Record<string, unknown> = {};
  const developmentDefaults: string[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    let raw = rawValue(spec, env, flags);
    if (raw === undefined && !production && spec.developmentDefault !== undefined) {
      raw = spec.developmentDefault;
      developmentDefaults.push(spec.env);
    }
    raw ??= spec.default;
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const reason = raw === undefined ? 'is required' : (issue?.message ?? 'is invalid');
      throw new ConfigError(spec.env, spec.secret || raw === undefined ? reason : `${reason} (got '${raw}')`);
    }
    values[name] = parsed.data;
  }
  return { values: values as Settings<S>, developmentDefaults, production };
}

/** Parsers for the kinds of settings every service has. */
export const settingTypes = {
  port: z.coerce.number().int().min(0).max(65535),
  url: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
  optionalText: z.string().min(1).optional(),
  text: z.string().min(1),
  positiveInt: z.coerce.number().int().positive(),
  boolean: z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v)),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
};
