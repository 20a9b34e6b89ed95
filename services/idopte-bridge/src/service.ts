import { defineService } from '@sigil/service-kit';
import { buildApp } from './app.js';
import { settings } from './config.js';

export const idopteBridgeService = defineService({ name: 'idopte-bridge', settings, build: buildApp });
