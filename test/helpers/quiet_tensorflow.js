/**
 * The values jest.config.js gives TensorFlow's logging variables: those of
 * src/backend.ts's QUIET_TENSORFLOW (test/backend.test.ts checks that they agree),
 * read here without TypeScript, as jest loads its config.
 */
exports.QUIET_TENSORFLOW = { TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '0' };
