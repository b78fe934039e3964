export * from './body';
export * from './compare';
export * from './noise';
export { type MatchState, type PathSegment, type PatternSegment, PathMatcher, PathSyntaxError, formatPath, generalizePath, parsePathPattern } from './path';
export * from './spec';
