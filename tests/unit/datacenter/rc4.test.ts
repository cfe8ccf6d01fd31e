import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { applyBytes, rc4, Rc4Key, rc4KeySchedule } from '../../../electron/core/datacenter/rc4'

// RFC 6229 §2, literally: keystream (RC4 of zeros) at the listed offsets, for both key sets
// (0x0102… and the suffixes of 0x1ada31d5…) at 40, 56, 64, 80, 128, 192 and 256 bits.
const RFC6229: { key: string; stream: [number, string][] }[] = [
  {
    key: '0102030405',
    stream: [
      [0, 'b2396305f03dc027ccc3524a0a1118a8'],
      [16, '6982944f18fc82d589c403a47a0d0919'],
      [240, '28cb1132c96ce286421dcaadb8b69eae'],
      [256, '1cfcf62b03eddb641d77dfcf7f8d8c93'],
      [1520, '3294f744d8f9790507e70f62e5bbceea'],
      [3056, 'f2e30f9bd102ecbf75aaade9bc35c43c'],
      [4080, '068326a2118416d21f9d04b2cd1ca050'],
    ],
  },
  {
    key: '01020304050607',
    stream: [
      [0, '293f02d47f37c9b633f2af5285feb46b'],
      [16, 'e620f1390d19bd84e2e0fd752031afc1'],
      [240, '914f02531c9218810df60f67e338154c'],
      [256, 'd0fdb583073ce85ab83917740ec011d5'],
      [1520, 'd2aa902bd42d0d7cfd340cd45810529f'],
      [3056, 'adfd3868b8e51485d5e610017e3dd609'],
      [4080, 'f3172ceffc3b3d997c85ccd5af1a950c'],
    ],
  },
  {
    key: '0102030405060708',
    stream: [
      [0, '97ab8a1bf0afb96132f2f67258da15a8'],
      [16, '8263efdb45c4a18684ef87e6b19e5b09'],
      [240, '9636ebc9841926f4f7d1f362bddf6e18'],
      [256, 'd0a990ff2c05fef5b90373c9ff4b870a'],
      [1520, '1fe8986713f07c3d9ae1c163ff8cf9d3'],
      [3056, '26b51ea37df8e1d6f76fc3b66a7429b3'],
      [4080, 'd5fa5a3469d29aaaf83d23589db8c85b'],
    ],
  },
  {
    key: '0102030405060708090a',
    stream: [
      [0, 'ede3b04643e586cc907dc21851709902'],
      [16, '03516ba78f413beb223aa5d4d2df6711'],
      [240, '3cfd6cb58ee0fdde640176ad0000044d'],
      [256, '48532b21fb6079c9114c0ffd9c04a1ad'],
      [1520, 'bdae85924b3cb1d0a2e33a30c6d79599'],
      [3056, '552225ed1177f44584ac8cfa6c4eb5fc'],
      [4080, '1f135ed14ce60a91369d2322bef25e3c'],
    ],
  },
  {
    key: '0102030405060708090a0b0c0d0e0f10',
    stream: [
      [0, '9ac7cc9a609d1ef7b2932899cde41b97'],
      [16, '5248c4959014126a6e8a84f11d1a9e1c'],
      [240, '065902e4b620f6cc36c8589f66432f2b'],
      [256, 'd39d566bc6bce3010768151549f3873f'],
      [1520, 'b40110c4190b5622a96116b0017ed297'],
      [3056, 'fabeb76028ade2d0e48722e46c4615a3'],
      [4080, 'ff38265c1642c1abe8d3c2fe5e572bf8'],
    ],
  },
  {
    key: '0102030405060708090a0b0c0d0e0f101112131415161718',
    stream: [
      [0, '0595e57fe5f0bb3c706edac8a4b2db11'],
      [16, 'dfde31344a1af769c74f070aee9e2326'],
      [240, 'b06b9b1e195d13d8f4a7995c4553ac05'],
      [256, '6bd2378ec341c9a42f37ba79f88a32ff'],
      [1520, '96c248610aadedfeaf8978c03de8205a'],
      [3056, '6866397e95c140534f94263421006e40'],
      [4080, '29a0b8aed54a132324c62e423f54b4c8'],
    ],
  },
  {
    key: '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20',
    stream: [
      [0, 'eaa6bd25880bf93d3f5d1e4ca2611d91'],
      [16, 'cfa45c9f7e714b54bdfa80027cb14380'],
      [240, '114ae344ded71b35f2e60febad727fd8'],
      [256, '02e1e7056b0f623900496422943e97b6'],
      [1520, '40f250b26d1f096a4afd4c340a588815'],
      [3056, '8aed95ee5b0dcbfbef4eb21d3a3f52f9'],
      [4080, 'a13a7c79c7e119b5ab0296ab28c300b9'],
    ],
  },
  {
    key: '833222772a',
    stream: [
      [0, '80ad97bdc973df8a2e879e92a497efda'],
      [16, '20f060c2f2e5126501d3d4fea10d5fc0'],
      [240, 'faa148e99046181fec6b2085f3b20ed9'],
      [256, 'f0daf5bab3d596839857846f73fbfe5a'],
      [1520, 'adb89cea9a15fbe617295bd04b8ca05c'],
      [3056, 'afecc037fdb7b0838eb3d70bcd268382'],
      [4080, '6349d126a37afcba89794f9804914fdc'],
    ],
  },
  {
    key: '1910833222772a',
    stream: [
      [0, 'bc9222dbd3274d8fc66d14ccbda6690b'],
      [16, '7ae627410c9a2be693df5bb7485a63e3'],
      [240, '3f0931aa03defb300f060103826f2a64'],
      [256, 'beaa9ec8d59bb68129f3027c96361181'],
      [1520, 'cc03fdb79192a207312f53f5d4dc33d9'],
      [3056, '55f877ce4f2e1ddbbf8e13e2cde0fdc8'],
      [4080, 'ecd0e96602be7f8d5092816cccf2c2e9'],
    ],
  },
  {
    key: '641910833222772a',
    stream: [
      [0, 'bbf609de9413172d07660cb680716926'],
      [16, '46101a6dab43115d6c522b4fe93604a9'],
      [240, 'cbe1fff21c96f3eef61e8fe0542cbdf0'],
      [256, '347938bffa4009c512cfb4034b0dd1a7'],
      [1520, 'bd3820f732ffb53ec193e79d33e27c73'],
      [3056, 'c47e0dc1660919c11101208f9e69aa1f'],
      [4080, '6b6b098d0c293bc2993d80bf0518b6d9'],
    ],
  },
  {
    key: '8b37641910833222772a',
    stream: [
      [0, 'ab65c26eddb287600db2fda10d1e605c'],
      [16, 'bb759010c29658f2c72d93a2d16d2930'],
      [240, 'b901e8036ed1c383cd3c4c4dd0a6ab05'],
      [256, '3d25ce4922924c55f064943353d78a6c'],
      [1520, '564d3dae183c5234c8af1e51061c44b5'],
      [3056, '72da646283228c14300853701795616f'],
      [4080, '438dd5eafea0111b6f36b4b938da2a68'],
    ],
  },
  {
    key: 'ebb46227c6cc8b37641910833222772a',
    stream: [
      [0, '720c94b63edf44e131d950ca211a5a30'],
      [16, 'c366fdeacf9ca80436be7c358424d20b'],
      [240, 'b3394a40aabf75cba42282ef25a0059f'],
      [256, '4847d81da4942dbc249defc48c922b9f'],
      [1520, '3c70047e8cbc038e3b9820db601da495'],
      [3056, '34b21ad2ad44e999db2d7f0863f0d9b6'],
      [4080, 'a2221a11b833ccb498a59540f0545f4a'],
    ],
  },
  {
    key: 'c109163908ebe51debb46227c6cc8b37641910833222772a',
    stream: [
      [0, '54b64e6b5a20b5e2ec84593dc7989da7'],
      [16, 'c135eee237a85465ff97dc03924f45ce'],
      [240, 'cfcc922fb4a14ab45d6175aabbf2d201'],
      [256, '837b87e2a446ad0ef798acd02b94124f'],
      [1520, '532c7ceccb39df3236318405a4b1279c'],
      [3056, '3682ee33bd148bd9f58656cd8f30d9fb'],
      [4080, '63edd684fb826282fe528f9c0e9237bc'],
    ],
  },
  {
    key: '1ada31d5cf688221c109163908ebe51debb46227c6cc8b37641910833222772a',
    stream: [
      [0, 'dd5bcb0018e922d494759d7c395d02d3'],
      [16, 'c8446f8f77abf737685353eb89a1c9eb'],
      [240, 'af3e30f9c095045938151575c3fb9098'],
      [256, 'f8cb6274db99b80b1d2012a98ed48f0e'],
      [1520, 'ac4e95368d99b9eb78b8da8f81ffa795'],
      [3056, 'f08f2e66d28ed143f3a237cf9de73559'],
      [4080, 'd5a39e3dfcc50280bac4a6b5aa0dca7d'],
    ],
  },
]

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('RC4 against RFC 6229', () => {
  for (const { key, stream } of RFC6229) {
    it(`${key.length * 4}-bit key ${key}`, () => {
      const last = Math.max(...stream.map(([offset]) => offset))
      const keystream = rc4(Buffer.from(key, 'hex'), new Uint8Array(last + 16))
      for (const [offset, expected] of stream) {
        expect(`${offset}:${hex(keystream.subarray(offset, offset + 16))}`).toBe(
          `${offset}:${expected}`,
        )
      }
    })
  }

  it('covers both key sets at every required length', () => {
    expect(RFC6229.map((v) => v.key.length * 4)).toEqual([
      40, 56, 64, 80, 128, 192, 256, 40, 56, 64, 80, 128, 192, 256,
    ])
  })
})

describe('RC4 implementation details', () => {
  it('the word-at-a-time path equals the textbook loop for every length and alignment', () => {
    const key = randomBytes(23)
    const schedule = rc4KeySchedule(key)
    const k = new Rc4Key(key)
    const data = randomBytes(1100)
    for (let start = 0; start < 5; start++) {
      for (let len = 0; len <= 1050; len += len < 40 ? 1 : 97) {
        const input = data.subarray(start, start + len)
        expect(hex(k.apply(input))).toBe(hex(applyBytes(schedule, input)))
      }
    }
  })

  it('is its own inverse, does not touch its input, and restarts the keystream per call', () => {
    const k = new Rc4Key('appkey-测试')
    const plain = Buffer.from('{"mobile":"15920447900","名字":"李建华"}', 'utf8')
    const copy = Buffer.from(plain)
    const c1 = k.apply(plain)
    const c2 = k.apply(plain)
    expect(hex(plain)).toBe(hex(copy))
    expect(hex(c1)).toBe(hex(c2))
    expect(hex(c1)).not.toBe(hex(plain))
    expect(Buffer.from(k.apply(c1)).toString('utf8')).toBe(plain.toString('utf8'))
  })

  it('takes a string key as its UTF-8 bytes', () => {
    const data = randomBytes(64)
    expect(hex(rc4('密钥key', data))).toBe(hex(rc4(Buffer.from('密钥key', 'utf8'), data)))
  })

  it('rejects an empty or over-long key', () => {
    expect(() => rc4(new Uint8Array(0), new Uint8Array(4))).toThrow(RangeError)
    expect(() => rc4(new Uint8Array(257), new Uint8Array(4))).toThrow(RangeError)
  })
})

// A reference beyond the RFC: OpenSSL's RC4 where this Node still has it (legacy provider).
const OPENSSL_CHILD = `
const chunks = []
process.stdin.on('data', (c) => chunks.push(c))
process.stdin.on('end', () => {
  const { key, data } = JSON.parse(Buffer.concat(chunks).toString())
  const c = require('node:crypto').createCipheriv('rc4', Buffer.from(key, 'hex'), null)
  process.stdout.write(Buffer.concat([c.update(Buffer.from(data, 'hex')), c.final()]).toString('hex'))
})`

function opensslRc4(key: Uint8Array, data: Uint8Array): string | undefined {
  const r = spawnSync(process.execPath, ['--openssl-legacy-provider', '-e', OPENSSL_CHILD], {
    input: JSON.stringify({ key: hex(key), data: hex(data) }),
    encoding: 'utf8',
    timeout: 15_000,
  })
  return r.status === 0 && r.stdout ? r.stdout : undefined
}

const opensslAvailable = opensslRc4(Buffer.from('01', 'hex'), new Uint8Array(1)) !== undefined

describe.skipIf(!opensslAvailable)('RC4 against OpenSSL (legacy provider)', () => {
  it('matches on random keys and 64 KB of random data', () => {
    for (const keyLen of [1, 5, 16, 77, 256]) {
      const key = randomBytes(keyLen)
      const data = randomBytes(65536 + keyLen)
      expect(hex(rc4(key, data))).toBe(opensslRc4(key, data))
    }
  })
})
