// After each test file: stop the kernels' helper thread that file's modules
// started (jest reuses its worker processes, and each file loads the modules anew).
import { stopKernelHelper } from '../src/kernels/module';

afterAll(() => stopKernelHelper());
