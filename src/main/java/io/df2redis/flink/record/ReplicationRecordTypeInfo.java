package io.df2redis.flink.record;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information that makes Flink use {@link ReplicationRecordSerializer} (never Kryo). */
public final class ReplicationRecordTypeInfo extends TypeInformation<ReplicationRecord> {
    private static final long serialVersionUID = 1L;
    public static final ReplicationRecordTypeInfo INSTANCE = new ReplicationRecordTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<ReplicationRecord> getTypeClass() {
        return ReplicationRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ReplicationRecord> createSerializer(SerializerConfig config) {
        return ReplicationRecordSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "ReplicationRecord";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ReplicationRecordTypeInfo;
    }

    @Override
    public int hashCode() {
        return ReplicationRecordTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof ReplicationRecordTypeInfo;
    }
}
