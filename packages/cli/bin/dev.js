#!/usr/bin/env node
// Development entry: oclif runs the TypeScript in src/ through tsx and loads dev plugins.
import { execute } from '@oclif/core'

await execute({ development: true, dir: import.meta.url })
