import { defineService } from '@sigil/service-kit';
import { buildApp } from './app.js';
import { settings } from './config.js';

export const authServerService = defineService({ name: 'auth-server', settings, build: buildApp });
