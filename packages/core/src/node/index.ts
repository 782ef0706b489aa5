// Public API of @vet/core/node: the edge of core that touches the file system, the
// environment and the process (STYLE §1). Everything else in @vet/core is pure.
export { writeFileAtomic, writeFileAtomicSync, type DurableWriteOptions } from './durable.js';
export { tryLock, releaseLock, isProcessAlive, type LockAttempt } from './pid-lock.js';
export { withStoreLock, holdsStoreLock, STORE_LOCK_FILE, type StoreLockOptions } from './store-lock.js';
export { readStore, readStoreFiles, commitStore, type CommitOptions as StoreCommitOptions } from './store-dir.js';
export { detectNpmLockfile, readNpmLockfile, NPM_LOCKFILE_NAMES } from './npm-lockfile.js';
export {
  detectPythonLockfile,
  detectPythonLockfiles,
  readPythonLockfile,
  pythonLockfileFormat,
  type DetectedPythonLockfile,
  type PythonLockfileFormat,
  type ReadPythonOptions,
} from './pypi-lockfile.js';
export {
  readCargoProject,
  readCargoInputs,
  type CargoProjectInputs,
  readCargoLock,
  readCargoConfigFiles,
  type ReadCargoProjectOptions,
} from './cargo-project.js';
export { cargoRegistryCrateFacts } from './crate-facts.js';
export {
  traceReads,
  stillSeen,
  stillSeenSync,
  type Observation,
  existsSync as tracedExistsSync,
  readFileSync as tracedReadFileSync,
  readFileBytesSync as tracedReadFileBytesSync,
  readdirSync as tracedReaddirSync,
} from './traced-fs.js';
