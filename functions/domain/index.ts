export * from './calendar';
export * from './duration';
export * from './target-clock';
export * from './working-time';
