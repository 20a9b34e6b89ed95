import type { SettingsSchema } from '@sigil/service-kit';
import { objectName, type Manifest } from './manifest.js';

/** Variables a service reads besides its settings schema. */
const READ_OUTSIDE_SCHEMA = [/^NODE_ENV$/, /^OTEL_[A-Z_]+$/];

interface EnvSource {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

interface DeploymentShape extends Manifest {
  spec: {
    template: {
      spec: {
        containers: {
          name: string;
          ports?: { name?: string; containerPort: number }[];
          envFrom?: { configMapRef?: { name: string } }[];
          env?: EnvSource[];
          volumeMounts?: { name: string; mountPath: string }[];
        }[];
      };
    };
  };
}

/**
 * Checks each service's environment in the rendered manifests against the
 * settings schema the service declares (services/<name>/src/config.ts): every
 * variable is a setting (or `<SECRET>_FILE`, `NODE_ENV`, `OTEL_*`), every value
 * parses, files named by a value lie on a mounted volume, `PORT` is the
 * container's `http` port, and under `NODE_ENV=production` every setting the
 * schema cannot do without is given.
 */
export function checkServiceSettings(manifests: readonly Manifest[], schemas: ReadonlyMap<string, SettingsSchema>): string[] {
  const problems: string[] = [];
  const configMaps = new Map(
    manifests.filter((manifest) => manifest.kind === 'ConfigMap').map((manifest) => [manifest.metadata.name, (manifest as Manifest & { data?: Record<string, string> }).data ?? {}]),
  );
  for (const manifest of manifests) {
    if (manifest.kind !== 'Deployment') continue;
    const deployment = manifest as DeploymentShape;
    const schema = schemas.get(deployment.metadata.name);
    if (schema === undefined) {
      problems.push(`${objectName(deployment)}: no service of that name declares settings`);
      continue;
    }
    const byEnv = new Map(Object.values(schema).map((spec) => [spec.env, spec]));
    for (const container of deployment.spec.template.spec.containers) {
      const where = `${objectName(deployment)} container ${container.name}`;
      const values = new Map<string, string | undefined>();
      for (const source of container.envFrom ?? []) {
        const data = source.configMapRef ? configMaps.get(source.configMapRef.name) : undefined;
        if (source.configMapRef && data === undefined) problems.push(`${where}: ConfigMap ${source.configMapRef.name} is not in the manifests`);
        for (const [key, value] of Object.entries(data ?? {})) values.set(key, value);
      }
      for (const variable of container.env ?? []) values.set(variable.name, variable.value);

      const mounts = (container.volumeMounts ?? []).map((mount) => mount.mountPath);
      for (const [env, value] of values) {
        if (READ_OUTSIDE_SCHEMA.some((pattern) => pattern.test(env))) continue;
        const fileOf = env.endsWith('_FILE') ? byEnv.get(env.slice(0, -'_FILE'.length)) : undefined;
        const spec = byEnv.get(env);
        if (fileOf !== undefined && fileOf.secret !== true) problems.push(`${where}: ${env} is not read (${fileOf.env} is not a secret setting)`);
        if (spec === undefined && fileOf === undefined) {
          problems.push(`${where}: ${env} is not a setting of ${deployment.metadata.name}`);
          continue;
        }
        if (value === undefined) continue;
        if (spec !== undefined && !spec.schema.safeParse(value).success) problems.push(`${where}: ${env}=${value} is refused by the settings schema`);
        for (const path of value.split(',').map((item) => item.trim())) {
          if (!/^\/(var\/run\/secrets|etc\/sigil|var\/lib\/sigil)\//.test(path)) continue;
          if (!mounts.some((mount) => path === mount || path.startsWith(`${mount.replace(/\/$/, '')}/`))) problems.push(`${where}: ${env} names ${path}, which is on no mounted volume`);
        }
      }

      const port = container.ports?.find((candidate) => candidate.name === 'http')?.containerPort;
      if (values.get('PORT') !== undefined && Number(values.get('PORT')) !== port) problems.push(`${where}: PORT ${values.get('PORT')} is not the http port ${port}`);

      if (values.get('NODE_ENV') === 'production') {
        for (const spec of Object.values(schema)) {
          if (spec.default !== undefined || spec.schema.safeParse(undefined).success) continue;
          if (!values.has(spec.env) && !values.has(`${spec.env}_FILE`)) problems.push(`${where}: ${spec.env} is required in production and not set`);
        }
      }
    }
  }
  return problems;
}
