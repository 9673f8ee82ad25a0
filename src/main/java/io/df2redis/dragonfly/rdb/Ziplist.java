package io.df2redis.dragonfly.rdb;

/**
 * Redis ziplist blobs (legacy hash/zset/list encodings, quicklist-1 nodes). {@link #validate}
 * performs Redis's deep integrity check: sizes, tail offset, every entry's prev-length and encoding,
 * the terminator and the count; {@link Reader} walks a validated blob.
 */
public final class Ziplist {
    private static final int HEADER = 10;

    private Ziplist() {}

    /** @return the number of entries */
    public static int validate(byte[] b, int off, int len, long errBase) throws RdbFormatException {
        if (len < HEADER + 1) {
            throw new RdbFormatException("a ziplist of at least 11 bytes (got " + len + ")", errBase);
        }
        long total = RdbBytes.u32le(b, off) & 0xffffffffL;
        if (total != len) {
            throw new RdbFormatException("ziplist total bytes " + len + " (header says " + total + ")", errBase);
        }
        long tail = RdbBytes.u32le(b, off + 4) & 0xffffffffL;
        int declared = RdbBytes.u16le(b, off + 8);
        int end = off + len;
        int p = off + HEADER;
        int prevLen = 0;
        int lastEntry = -1;
        int count = 0;
        while (true) {
            if (p >= end) {
                throw new RdbFormatException("a ziplist terminator", errBase + (p - off));
            }
            if ((b[p] & 0xff) == 0xff) {
                break;
            }
            long at = errBase + (p - off);
            int q = p;
            int pl;
            if ((b[q] & 0xff) < 254) {
                pl = b[q] & 0xff;
                q += 1;
            } else if ((b[q] & 0xff) == 254) {
                if (q + 5 > end) {
                    throw new RdbFormatException("a complete ziplist prev-length", at);
                }
                pl = RdbBytes.u32le(b, q + 1);
                q += 5;
            } else {
                throw new RdbFormatException("a ziplist entry", at);
            }
            if (pl != prevLen) {
                throw new RdbFormatException("ziplist prev-length " + prevLen + " (got " + pl + ")", at);
            }
            if (q >= end) {
                throw new RdbFormatException("a ziplist entry encoding", at);
            }
            long dataEnd = q + encodingAndDataSize(b, q, end, at);
            if (dataEnd > end - 1) {
                throw new RdbFormatException("a ziplist entry inside the blob", at);
            }
            lastEntry = p;
            prevLen = (int) (dataEnd - p);
            p = (int) dataEnd;
            count++;
        }
        if (p != end - 1) {
            throw new RdbFormatException("ziplist terminator as the last byte", errBase + (p - off));
        }
        long expectTail = lastEntry < 0 ? HEADER : lastEntry - off;
        if (tail != expectTail) {
            throw new RdbFormatException("ziplist tail offset " + expectTail + " (header says " + tail + ")", errBase);
        }
        if (declared != 0xffff && declared != count) {
            throw new RdbFormatException("ziplist entry count " + count + " (header says " + declared + ")", errBase);
        }
        return count;
    }

    private static long encodingAndDataSize(byte[] b, int q, int end, long at) throws RdbFormatException {
        int c = b[q] & 0xff;
        switch (c >> 6) {
            case 0:
                return 1 + (c & 0x3f);
            case 1:
                if (q + 2 > end) {
                    throw new RdbFormatException("a complete ziplist string header", at);
                }
                return 2 + (((c & 0x3f) << 8) | (b[q + 1] & 0xff));
            case 2:
                if (c != 0x80 || q + 5 > end) {
                    throw new RdbFormatException("a ziplist string encoding (got 0x" + Integer.toHexString(c) + ")", at);
                }
                return 5 + (RdbBytes.u32be(b, q + 1) & 0xffffffffL);
            default:
                switch (c) {
                    case 0xc0: return 3;
                    case 0xd0: return 5;
                    case 0xe0: return 9;
                    case 0xf0: return 4;
                    case 0xfe: return 2;
                    default:
                        if (c >= 0xf1 && c <= 0xfd) {
                            return 1;
                        }
                        throw new RdbFormatException("a ziplist integer encoding (got 0x" + Integer.toHexString(c) + ")", at);
                }
        }
    }

    /** Walks a validated ziplist. */
    public static final class Reader {
        private final byte[] b;
        private int p;
        private boolean isInt;
        private long intValue;
        private int strOff;
        private int strLen;

        public Reader(byte[] b, int off) {
            this.b = b;
            this.p = off + HEADER;
        }

        public boolean next() {
            if ((b[p] & 0xff) == 0xff) {
                return false;
            }
            p += (b[p] & 0xff) < 254 ? 1 : 5;
            int c = b[p] & 0xff;
            isInt = false;
            switch (c >> 6) {
                case 0:
                    strLen = c & 0x3f;
                    strOff = p + 1;
                    break;
                case 1:
                    strLen = ((c & 0x3f) << 8) | (b[p + 1] & 0xff);
                    strOff = p + 2;
                    break;
                case 2:
                    strLen = RdbBytes.u32be(b, p + 1);
                    strOff = p + 5;
                    break;
                default:
                    isInt = true;
                    int q = p + 1;
                    switch (c) {
                        case 0xc0: intValue = (short) RdbBytes.u16le(b, q); p = q + 2; break;
                        case 0xd0: intValue = RdbBytes.u32le(b, q); p = q + 4; break;
                        case 0xe0: intValue = RdbBytes.i64le(b, q); p = q + 8; break;
                        case 0xf0: {
                            int v = (b[q] & 0xff) | (b[q + 1] & 0xff) << 8 | (b[q + 2] & 0xff) << 16;
                            intValue = (v << 8) >> 8;
                            p = q + 3;
                            break;
                        }
                        case 0xfe: intValue = b[q]; p = q + 1; break;
                        default: intValue = (c & 0x0f) - 1; p = q; break;
                    }
                    return true;
            }
            p = strOff + strLen;
            return true;
        }

        public boolean isInt() {
            return isInt;
        }

        public byte[] bytes() {
            if (isInt) {
                return RdbBytes.decimal(intValue);
            }
            byte[] out = new byte[strLen];
            System.arraycopy(b, strOff, out, 0, strLen);
            return out;
        }

        public double asDouble(long errBase) throws RdbFormatException {
            if (isInt) {
                return intValue;
            }
            try {
                return RdbBytes.parseDouble(new String(b, strOff, strLen, java.nio.charset.StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new RdbFormatException("a score in the ziplist (got \"" + RdbBytes.printable(bytes()) + "\")", errBase);
            }
        }
    }
}
