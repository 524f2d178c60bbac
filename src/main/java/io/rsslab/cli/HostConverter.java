package io.rsslab.cli;

import io.rsslab.plan.Host;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --host values are the hosts' lower-case labels. */
final class HostConverter implements ITypeConverter<Host> {

    @Override
    public Host convert(String value) {
        for (Host h : Host.values()) {
            if (h.label().equals(value)) {
                return h;
            }
        }
        throw new TypeConversionException("'" + value + "' is not a host (expected native, thread or jvm)");
    }
}
