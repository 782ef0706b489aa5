/** node:module for the browser bundle: nothing can be required (core's optional libsodium stays absent). */
export function createRequire(): (id: string) => never {
  return (id) => {
    throw new Error(`cannot load ${id} in the browser`);
  };
}
