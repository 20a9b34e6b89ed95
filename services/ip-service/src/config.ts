import { commonSettings, type Settings } from '@sigil/service-kit';

/** Every setting of ip-service: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4002),
};

export type IpServiceConfig = Settings<typeof settings>;
