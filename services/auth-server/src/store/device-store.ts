import type { NearCache, Store } from '@sigil/store';
import { newDeviceId } from '../domain/wire-identity.js';

/** A user's registered device ("client"). */
export interface Device {
  /** 64-bit hex client id. */
  readonly id: string;
  readonly userId: string;
  /** ISO 8601. */
  readonly createdAt: string;
}

function decodeDevice(value: string): Device {
  return Object.freeze(JSON.parse(value) as Device);
}

/**
 * Devices, durable (no TTL): `device:<user id>:<client id>` the device as
 * JSON, `devices:<user id>` the set of the user's client ids.
 */
export class DeviceStore {
  readonly #store: Store;
  /** A device is read on each of its nonce and token requests, and never changes: kept near. */
  readonly #devices: NearCache;
  readonly #clock: () => Date;

  constructor(store: Store, clock: () => Date = () => new Date()) {
    this.#store = store;
    this.#devices = store.nearCache('device:');
    this.#clock = clock;
  }

  async register(userId: string): Promise<Device> {
    // 64 random bits: a collision is improbable, but `create` makes sure one never overwrites a device.
    for (let attempt = 0; attempt < 3; attempt++) {
      const device: Device = { id: newDeviceId(), userId, createdAt: this.#clock().toISOString() };
      if (await this.#store.create(`device:${userId}:${device.id}`, JSON.stringify(device), 60_000)) {
        await this.#store.set(`device:${userId}:${device.id}`, JSON.stringify(device));
        await this.#store.addToSet(`devices:${userId}`, device.id);
        return device;
      }
    }
    throw new Error('could not allocate a device id');
  }

  /** The device, shared by every reader while it is held near: frozen. */
  async find(userId: string, deviceId: string): Promise<Device | undefined> {
    return (await this.#devices.getDecoded(`device:${userId}:${deviceId}`, decodeDevice)) ?? undefined;
  }

  async list(userId: string): Promise<Device[]> {
    const ids = await this.#store.members(`devices:${userId}`);
    if (ids.length === 0) return [];
    const values = await this.#store.getMany(ids.map((id) => `device:${userId}:${id}`));
    return values
      .filter((value): value is string => value !== null)
      .map((value) => JSON.parse(value) as Device)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}

/**
 * The backend nonce of each (user, device): `device-nonce:<user id>:<client
 * id>`, with a TTL. A new nonce replaces the previous one; taking it is one
 * compare-and-delete, so of two concurrent token requests only one gets it,
 * and a request naming another nonce leaves the current one in place.
 */
export class DeviceNonces {
  readonly #store: Store;
  readonly #ttlMs: number;

  constructor(store: Store, ttlSeconds: number) {
    this.#store = store;
    this.#ttlMs = ttlSeconds * 1000;
  }

  async put(userId: string, deviceId: string, nonce: string): Promise<void> {
    await this.#store.set(`device-nonce:${userId}:${deviceId}`, nonce, this.#ttlMs);
  }

  /** Takes the current nonce: true only if it is `nonce` and nobody took it first. */
  consume(userId: string, deviceId: string, nonce: string): Promise<boolean> {
    return this.#store.consumeIf(`device-nonce:${userId}:${deviceId}`, nonce);
  }
}
