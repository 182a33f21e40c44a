export * from './duration';
export * from './calendar';
export * from './clock';
