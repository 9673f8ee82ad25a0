package io.df2redis.dragonfly.rdb;

/**
 * Redis listpack blobs (hash/zset/set listpacks, quicklist-2 nodes, stream nodes). {@link
 * #validate} performs Redis's deep integrity check (every entry's encoding and back-length, the
 * total size, the terminator, the element count); {@link Reader} then walks a validated blob.
 */
public final class Listpack {
    private static final int HEADER = 6;
    private static final int EOF = 0xff;

    private Listpack() {}

    /**
     * Checks the blob {@code b[off, off+len)} entry by entry.
     *
     * @return the number of entries
     */
    public static int validate(byte[] b, int off, int len, long errBase) throws RdbFormatException {
        if (len < HEADER + 1) {
            throw new RdbFormatException("a listpack of at least 7 bytes (got " + len + ")", errBase);
        }
        long total = RdbBytes.u32le(b, off) & 0xffffffffL;
        if (total != len) {
            throw new RdbFormatException("listpack total bytes " + len + " (header says " + total + ")", errBase);
        }
        int declared = RdbBytes.u16le(b, off + 4);
        int end = off + len;
        int p = off + HEADER;
        int count = 0;
        while (true) {
            if (p >= end) {
                throw new RdbFormatException("a listpack terminator", errBase + (p - off));
            }
            if ((b[p] & 0xff) == EOF) {
                break;
            }
            int entryLen = entrySize(b, p, end, errBase + (p - off));
            int back = backlenSize(entryLen);
            if (p + entryLen + back > end - 1) {
                throw new RdbFormatException("a listpack entry inside the blob", errBase + (p - off));
            }
            if (readBacklen(b, p + entryLen, back) != entryLen) {
                throw new RdbFormatException("listpack back-length " + entryLen, errBase + (p + entryLen - off));
            }
            p += entryLen + back;
            count++;
        }
        if (p != end - 1) {
            throw new RdbFormatException("listpack terminator as the last byte", errBase + (p - off));
        }
        if (declared != 0xffff && declared != count) {
            throw new RdbFormatException("listpack element count " + count + " (header says " + declared + ")", errBase);
        }
        return count;
    }

    /** Size of the entry's encoding + data (without back-length). */
    private static int entrySize(byte[] b, int p, int end, long at) throws RdbFormatException {
        int c = b[p] & 0xff;
        long size;
        if ((c & 0x80) == 0) {
            size = 1;
        } else if ((c & 0xc0) == 0x80) {
            size = 1 + (c & 0x3f);
        } else if ((c & 0xe0) == 0xc0) {
            size = 2;
        } else if ((c & 0xf0) == 0xe0) {
            if (p + 1 >= end) {
                throw new RdbFormatException("a complete listpack entry header", at);
            }
            size = 2 + (((c & 0x0f) << 8) | (b[p + 1] & 0xff));
        } else {
            switch (c) {
                case 0xf0:
                    if (p + 5 > end) {
                        throw new RdbFormatException("a complete listpack entry header", at);
                    }
                    size = 5 + (RdbBytes.u32le(b, p + 1) & 0xffffffffL);
                    break;
                case 0xf1: size = 3; break;
                case 0xf2: size = 4; break;
                case 0xf3: size = 5; break;
                case 0xf4: size = 9; break;
                default:
                    throw new RdbFormatException("a listpack entry encoding (got 0x" + Integer.toHexString(c) + ")", at);
            }
        }
        if (p + size > end) {
            throw new RdbFormatException("a listpack entry inside the blob", at);
        }
        return (int) size;
    }

    private static int backlenSize(int l) {
        return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    }

    /**
     * lpEncodeBacklen writes the highest 7-bit group first without bit 7, then lower groups with bit
     * 7 set; the lowest group is at the highest address (read backwards by lpDecodeBacklen).
     * Returns -1 when the continuation bits are wrong.
     */
    private static long readBacklen(byte[] b, int p, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            int x = b[p + i] & 0xff;
            boolean flagged = (x & 0x80) != 0;
            if (flagged != (i > 0)) {
                return -1;
            }
            v = v << 7 | (x & 0x7f);
        }
        return v;
    }

    /** Walks a validated listpack. */
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

        /** Moves to the next entry; false at the terminator. */
        public boolean next() {
            int c = b[p] & 0xff;
            if (c == EOF) {
                return false;
            }
            int size;
            isInt = true;
            if ((c & 0x80) == 0) {
                intValue = c;
                size = 1;
            } else if ((c & 0xc0) == 0x80) {
                isInt = false;
                strOff = p + 1;
                strLen = c & 0x3f;
                size = 1 + strLen;
            } else if ((c & 0xe0) == 0xc0) {
                int v = ((c & 0x1f) << 8) | (b[p + 1] & 0xff);
                intValue = (v << 19) >> 19;
                size = 2;
            } else if ((c & 0xf0) == 0xe0) {
                isInt = false;
                strLen = ((c & 0x0f) << 8) | (b[p + 1] & 0xff);
                strOff = p + 2;
                size = 2 + strLen;
            } else {
                switch (c) {
                    case 0xf0:
                        isInt = false;
                        strLen = RdbBytes.u32le(b, p + 1);
                        strOff = p + 5;
                        size = 5 + strLen;
                        break;
                    case 0xf1:
                        intValue = (short) RdbBytes.u16le(b, p + 1);
                        size = 3;
                        break;
                    case 0xf2: {
                        int v = (b[p + 1] & 0xff) | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff) << 16;
                        intValue = (v << 8) >> 8;
                        size = 4;
                        break;
                    }
                    case 0xf3:
                        intValue = RdbBytes.u32le(b, p + 1);
                        size = 5;
                        break;
                    default:
                        intValue = RdbBytes.i64le(b, p + 1);
                        size = 9;
                        break;
                }
            }
            p += size + backlenSize(size);
            return true;
        }

        public boolean isInt() {
            return isInt;
        }

        public long intValue() {
            return intValue;
        }

        /** The entry as Redis returns it: string bytes, or an integer's decimal text. */
        public byte[] bytes() {
            if (isInt) {
                return RdbBytes.decimal(intValue);
            }
            byte[] out = new byte[strLen];
            System.arraycopy(b, strOff, out, 0, strLen);
            return out;
        }

        /** The entry as an integer (stream listpacks store their fields' counts and ids as ints). */
        public long asLong(long errBase) throws RdbFormatException {
            if (isInt) {
                return intValue;
            }
            byte[] s = bytes();
            Long v = RdbBytes.parseLong(s);
            if (v == null) {
                throw new RdbFormatException("an integer listpack entry (got \"" + RdbBytes.printable(s) + "\")", errBase);
            }
            return v;
        }

        public double asDouble(long errBase) throws RdbFormatException {
            if (isInt) {
                return intValue;
            }
            try {
                return RdbBytes.parseDouble(new String(b, strOff, strLen, java.nio.charset.StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new RdbFormatException("a score in the listpack (got \"" + RdbBytes.printable(bytes()) + "\")", errBase);
            }
        }
    }
}
