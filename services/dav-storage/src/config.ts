import { commonSettings, type Settings } from '@sigil/service-kit';

/** Every setting of dav-storage: env var, CLI flag (derived), default and meaning. */
export const settings = {
  ...commonSettings(4005),
};

export type DavStorageConfig = Settings<typeof settings>;
