import { config } from 'zod';

// Imported by main() before any command's schemas are made: zod's JIT (a parser generated with
// new Function for each object schema) costs a short-lived command more to build than its few
// parses save.
config({ jitless: true });
