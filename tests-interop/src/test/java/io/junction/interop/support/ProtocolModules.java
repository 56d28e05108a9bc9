package io.junction.interop.support;

import io.junction.core.boot.JunctionServer;
import io.junction.core.spi.ProtocolModule;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The protocol modules of an {@link EmbeddedBroker}: those on the test class path, found as the
 * server finds them ({@link JunctionServer#discoverModules()}).
 *
 * <p>When the system property {@value #ISOLATED_CLASSPATH} names jars or class directories
 * (separated by {@link File#pathSeparator}), the modules in them are loaded by a class loader of
 * their own that looks in those entries first and in the test class path only for the rest (core,
 * Netty, logging). A module can so keep the library it ships with while the tests use another
 * version of the same library under the same package names: tests-openwire-javax runs the ActiveMQ
 * 5.x client on its class path against protocol-openwire on activemq-client 6.x, which it reads
 * OpenWire with.
 */
public final class ProtocolModules {

    /** Jars and class directories whose protocol modules load apart from the test class path. */
    public static final String ISOLATED_CLASSPATH = "junction.test.isolatedClasspath";

    private ProtocolModules() {
    }

    /** The modules, by name. */
    public static Map<String, ProtocolModule> discover() {
        ClassLoader isolated = Isolated.LOADER;
        if (isolated == null) {
            return JunctionServer.discoverModules();
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(isolated);
        try {
            return JunctionServer.discoverModules();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** One loader for the JVM, so that each test does not define the module's classes again. */
    private static final class Isolated {
        static final ClassLoader LOADER = create(System.getProperty(ISOLATED_CLASSPATH, ""));

        private static ClassLoader create(String classpath) {
            if (classpath.isBlank()) {
                return null;
            }
            List<URL> urls = new ArrayList<>();
            for (String entry : classpath.split(File.pathSeparator)) {
                File file = new File(entry.trim());
                if (!file.exists()) {
                    throw new UncheckedIOException(new IOException(
                            ISOLATED_CLASSPATH + " names " + file + ", which does not exist"));
                }
                try {
                    urls.add(file.toURI().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalArgumentException(entry, e);
                }
            }
            return new ChildFirstClassLoader(urls.toArray(URL[]::new), ProtocolModules.class.getClassLoader());
        }
    }

    /** Its own entries before its parent's, for classes and single resources. */
    static final class ChildFirstClassLoader extends URLClassLoader {

        static {
            registerAsParallelCapable();
        }

        ChildFirstClassLoader(URL[] urls, ClassLoader parent) {
            super("junction-isolated-modules", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null && !name.startsWith("java.")) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notHere) {
                        // the parent's, below
                    }
                }
                if (loaded == null) {
                    loaded = getParent().loadClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        @Override
        public URL getResource(String name) {
            URL own = findResource(name);
            return own != null ? own : super.getResource(name);
        }
    }
}
