export * from './calendar';
export * from './clock';
export * from './duration';
