import { commonSettings, type Settings } from '@sigil/service-kit';

/** Every setting of acme-resource: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4001),
};

export type AcmeResourceConfig = Settings<typeof settings>;
