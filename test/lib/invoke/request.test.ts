import {expect} from 'chai'

import {defaultBaseUrl} from '../../../src/lib/invoke/request.js'

describe('invoke: the local app\'s address without --url', () => {
  it('is 127.0.0.1 at $APP_PORT, else $PORT, else 3000; a port that is not a number is skipped', () => {
    expect(defaultBaseUrl({APP_PORT: '4001', PORT: '4002'})).to.equal('http://127.0.0.1:4001')
    expect(defaultBaseUrl({PORT: '4002'})).to.equal('http://127.0.0.1:4002')
    expect(defaultBaseUrl({APP_PORT: 'abc', PORT: '4002'})).to.equal('http://127.0.0.1:4002')
    expect(defaultBaseUrl({APP_PORT: ' 4001 '})).to.equal('http://127.0.0.1:4001')
    expect(defaultBaseUrl({})).to.equal('http://127.0.0.1:3000')
    expect(defaultBaseUrl({APP_PORT: '', PORT: 'web'})).to.equal('http://127.0.0.1:3000')
  })
})
