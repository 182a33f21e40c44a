export * from './calendar';
export * from './duration';
export * from './result';
export * from './target-clock';
export * from './working-time';
