/** Part 4 of the no-secret tests (test/faults/secrets.ts has them all and says why they are split). */
import {describeNoSecrets} from './secrets.js'

describeNoSecrets(4)
