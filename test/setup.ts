// Quiet the one-line backend notice in tests; each suite picks its backend.
process.env.TFJS_RECURRENT_QUIET = '1';
// TensorFlow's C++ start-up notes, when tfjs-node loads.
process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL ?? '2';
