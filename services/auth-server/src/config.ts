import { commonSettings, type Settings } from '@sigil/service-kit';

/** Every setting of auth-server: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4000),
};

export type AuthServerConfig = Settings<typeof settings>;
