export { translateImport, type TranslateOptions, type TranslateResult } from './translate.js';
export { narrowImportsLock } from './narrow.js';
