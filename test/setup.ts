// Quiet the one-line backend notice in tests; each suite picks its backend.
process.env.TFJS_RECURRENT_QUIET = '1';
