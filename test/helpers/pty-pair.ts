export * from '../../lib/pty-pair.js';
