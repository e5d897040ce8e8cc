/** Part 2 of the as-users tests (test/integration/as-users-run-it.ts has them all and says why they are split). */
import {describeAsUsers} from './as-users-run-it.js'

describeAsUsers(2)
