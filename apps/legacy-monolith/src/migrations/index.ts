import { MonolithSchema1767312000000 } from './1767312000000-monolith-schema';

/** The monolith's migrations, oldest first. Applied by `main --migrate`. */
export const migrations = [MonolithSchema1767312000000];
