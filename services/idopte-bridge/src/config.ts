import { commonSettings, type Settings } from '@sigil/service-kit';

/** Every setting of idopte-bridge: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4004),
};

export type IdopteBridgeConfig = Settings<typeof settings>;
