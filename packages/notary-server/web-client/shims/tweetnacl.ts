/** tweetnacl for the browser bundle: core's tweetnacl engine is never chosen there. */
const nacl = {
  sign: {
    detached: {
      verify(): boolean {
        throw new Error('tweetnacl is not bundled for the browser');
      },
    },
  },
};
export default nacl;
