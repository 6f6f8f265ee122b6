import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built with `vite build console` (npm run build:console): this folder is the root, the output is
// console/dist, served by the gateway at /console (src/console).
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
});
