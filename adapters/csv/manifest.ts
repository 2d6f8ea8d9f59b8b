import { defineManifest } from '../types';
import { config } from './config';

/**
 * CSV import (API.md "CSV import"): not a provider anyone connects to, but the catalog's
 * `file_import` entry and the provider of the `csv` connections imports write their rows
 * to (one per end user and export source). No auth, no API, no syncs: core/imports does the
 * work, from files uploaded to us.
 */
export const manifest = defineManifest({
  name: 'csv',
  displayName: 'CSV import',
  categories: ['file_import'],
  curated: false,
  docsUrl: 'https://www.rfc-editor.org/rfc/rfc4180',
  apiBaseUrl: '',
  hosts: [],
  auth: {},
  proxy: { headers: {} },
  config,
  syncs: [],
  actions: [],
});
