import { commonSettings, type Settings } from '@sigil/service-kit';

/** Every setting of proxy: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4003),
};

export type ProxyConfig = Settings<typeof settings>;
