export { translateImport, type TranslateOptions, type TranslateResult } from './translate.js';
