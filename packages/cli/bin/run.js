#!/usr/bin/env node
// Startup stays minimal on purpose: every import here is paid by every command, `--help` included.
import module from 'node:module'

module.enableCompileCache?.()

// `nexus … | head` closes the pipe early: that is the reader being done, not an error worth a warning.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

const { execute } = await import('@oclif/core')
await execute({ dir: import.meta.url })
