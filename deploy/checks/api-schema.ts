import type { Manifest } from './manifest.js';

/** What the API schema says about one object: nothing when it is valid. */
export interface SchemaFinding {
  readonly object: string;
  readonly problems: readonly string[];
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/**
 * The module of `kubernetes-models` holding an object's model:
 * `apps/v1` + `Deployment` → `kubernetes-models/apps/v1/Deployment`, the core
 * group's `v1` + `Service` → `kubernetes-models/v1/Service`.
 */
export function modelModule(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/**
 * Validates an object against the Kubernetes API's OpenAPI schema, offline:
 * `kubernetes-models` ships one validator per API type, compiled with ajv
 * from that schema (types, required fields, enums, formats). A kind the
 * package does not know is itself a finding: it would not be accepted either.
 */
export async function validateAgainstApiSchema(manifest: Manifest): Promise<SchemaFinding | undefined> {
  const object = `${manifest.apiVersion} ${manifest.kind}/${manifest.metadata.name}`;
  let Model: ModelClass;
  try {
    const module = (await import(modelModule(manifest.apiVersion, manifest.kind))) as Record<string, unknown>;
    Model = module[manifest.kind] as ModelClass;
    if (typeof Model !== 'function') throw new Error('no model class');
  } catch (error) {
    return { object, problems: [`unknown API type ${manifest.apiVersion} ${manifest.kind} (${(error as Error).message})`] };
  }
  try {
    new Model(manifest).validate();
    return undefined;
  } catch (error) {
    const details = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
    const problems = details?.map((detail) => `${detail.instancePath || '/'} ${detail.message ?? 'is invalid'}`) ?? [(error as Error).message];
    return { object, problems };
  }
}

/**
 * Validates objects one after the other (each type's validator module is
 * loaded on first use; loading them concurrently trips jest's ESM loader).
 */
export async function validateAllAgainstApiSchema(manifests: readonly Manifest[]): Promise<SchemaFinding[]> {
  const findings: SchemaFinding[] = [];
  for (const manifest of manifests) {
    const finding = await validateAgainstApiSchema(manifest);
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}
