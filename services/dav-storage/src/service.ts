import { defineService } from '@sigil/service-kit';
import { buildApp } from './app.js';
import { settings } from './config.js';

export const davStorageService = defineService({ name: 'dav-storage', settings, build: buildApp });
