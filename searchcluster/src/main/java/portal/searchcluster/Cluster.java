package portal.searchcluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.cluster.health.ClusterHealthStatus;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * A small OpenSearch 2.19 cluster in one JVM, for tests and development: N nodes (3 by default),
 * each an OpenSearch {@link Node} with the modules it needs loaded as classpath plugins (the way
 * the test framework's MockNode does it), on free loopback ports, plain HTTP, forming one cluster.
 *
 * <p>Usage: {@code java -cp target/classes:target/lib/* portal.searchcluster.Cluster --dir DIR
 * [--nodes N] [--ready FILE]}. DIR is wiped and holds each node's home and data. Once the cluster is
 * green, the line {@code OPENSEARCH_URL=http://127.0.0.1:P1,...} is printed and written to FILE
 * (atomically, so a waiting script never reads half a line). SIGTERM closes the nodes and removes
 * FILE.
 *
 * <p>For fault tests, a node can be stopped and started again while the others run: a file
 * {@code DIR/control/stop-2} closes node-2 (its ports and data stay reserved for it), {@code
 * DIR/control/start-2} starts it again on the same ports and data; the launcher deletes the file
 * once done (scripts/search_cluster.sh stop-node|start-node N waits for that).
 */
public final class Cluster {

    /** The modules of a distribution that the portal's backend needs (HTTP, analysis, _delete_by_query, scripts). */
    static final List<Class<? extends Plugin>> MODULES = List.of(
        org.opensearch.transport.Netty4Plugin.class,
        org.opensearch.analysis.common.CommonAnalysisPlugin.class,
        org.opensearch.index.reindex.ReindexPlugin.class,
        org.opensearch.painless.PainlessPlugin.class
    );

    /** A node started with classpath plugins: the constructor that takes them is protected. */
    static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    private Cluster() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parseOptions(args);
        Path dir = Path.of(options.getOrDefault("--dir", "var/search-cluster")).toAbsolutePath();
        int count = Integer.parseInt(options.getOrDefault("--nodes", "3"));
        Path ready = options.containsKey("--ready") ? Path.of(options.get("--ready")).toAbsolutePath() : null;
        long started = System.nanoTime();

        deleteTree(dir);
        Files.createDirectories(dir);
        if (ready != null) {
            Files.deleteIfExists(ready);
        }
        int[] ports = freePorts(2 * count);
        int[] httpPorts = Arrays.copyOfRange(ports, 0, count);
        int[] transportPorts = Arrays.copyOfRange(ports, count, 2 * count);
        List<String> names = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("node-" + (i + 1));
            seeds.add("127.0.0.1:" + transportPorts[i]);
        }

        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(newNode(dir, names.get(i), httpPorts[i], transportPorts[i], seeds, names));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (nodes) {
                closeAll(nodes, ready);
            }
        }, "cluster-shutdown"));

        // Started together: each node's start() waits for a cluster-manager, and one can be elected
        // only once a majority of the initial cluster-manager nodes is up.
        List<Thread> starters = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (Node node : nodes) {
            Thread t = new Thread(() -> {
                try {
                    node.start();
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "start-" + node.settings().get("node.name"));
            t.start();
            starters.add(t);
        }
        for (Thread t : starters) {
            t.join();
        }
        if (!failures.isEmpty()) {
            failures.get(0).printStackTrace();
            System.exit(1);
        }

        ClusterHealthResponse health = nodes.get(0).client().admin().cluster().prepareHealth()
            .setWaitForGreenStatus()
            .setWaitForNodes(Integer.toString(count))
            .setTimeout(TimeValue.timeValueSeconds(120))
            .get();
        if (health.isTimedOut() || health.getStatus() != ClusterHealthStatus.GREEN) {
            System.err.println("cluster not green: " + health);
            System.exit(1);
        }

        String line = "OPENSEARCH_URL=" + Arrays.stream(httpPorts)
            .mapToObj(p -> "http://127.0.0.1:" + p)
            .collect(Collectors.joining(","));
        System.err.printf("green: %d nodes in %.1f s%n", health.getNumberOfNodes(), (System.nanoTime() - started) / 1e9);
        if (ready != null) {
            Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
            Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, ready, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println(line);
        System.out.flush();

        Path control = dir.resolve("control");
        Files.createDirectories(control);
        while (true) { // until SIGTERM
            Thread.sleep(200);
            try (Stream<Path> requests = Files.list(control)) {
                for (Path request : requests.sorted().collect(Collectors.toList())) {
                    if (request.getFileName().toString().endsWith(".failed")) {
                        continue;
                    }
                    String[] parts = request.getFileName().toString().split("-", 2);
                    synchronized (nodes) {
                        try {
                            control(parts[0], Integer.parseInt(parts[1]) - 1, nodes, dir, names, httpPorts, transportPorts, seeds);
                        } catch (Exception e) { // reported to the script, which waits for the request to go
                            e.printStackTrace();
                            Files.writeString(request.resolveSibling(request.getFileName() + ".failed"), e.toString());
                        }
                    }
                    Files.delete(request);
                }
            }
        }
    }

    /** Carry out one control request ("stop" or "start") on node i; stopping a stopped node does nothing. */
    static void control(String action, int i, List<Node> nodes, Path dir, List<String> names, int[] httpPorts,
                        int[] transportPorts, List<String> seeds) throws Exception {
        if (action.equals("stop") && !nodes.get(i).isClosed()) {
            nodes.get(i).close();
            nodes.get(i).awaitClose(30, TimeUnit.SECONDS);
            System.err.println("stopped " + names.get(i));
        } else if (action.equals("start") && nodes.get(i).isClosed()) {
            Node node = newNode(dir, names.get(i), httpPorts[i], transportPorts[i], seeds, names);
            nodes.set(i, node);
            node.start();
            System.err.println("started " + names.get(i));
        } else if (!action.equals("stop") && !action.equals("start")) {
            throw new IllegalArgumentException("unknown request " + action);
        }
    }

    static Node newNode(Path dir, String name, int httpPort, int transportPort, List<String> seeds, List<String> managers)
        throws IOException {
        Path home = dir.resolve(name);
        Path config = home.resolve("config");
        Files.createDirectories(config);
        Settings settings = Settings.builder()
            .put("cluster.name", "portal-search")
            .put("node.name", name)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            .putList("discovery.seed_hosts", seeds)
            .putList("cluster.initial_cluster_manager_nodes", managers)
            // Elasticsearch 8's default: deleting indices needs their names, no wildcards or _all.
            .put("action.destructive_requires_name", true)
            // A test machine's disk may be nearly full; shards must still be allocated.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // Three nodes share one JVM on a 2-core machine: small thread pools.
            .put("node.processors", 1)
            // A node started alone (the first of a cluster restarted node by node) does not wait
            // the default 30 s for a cluster-manager before start() returns; the health check waits.
            .put("discovery.initial_state_timeout", "3s")
            .build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> name);
        return new ClasspathNode(environment, MODULES);
    }

    static void closeAll(List<Node> nodes, Path ready) {
        for (Node node : nodes) {
            try {
                node.close();
            } catch (IOException | RuntimeException e) {
                e.printStackTrace();
            }
        }
        for (Node node : nodes) {
            try {
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ready != null) {
            try {
                Files.deleteIfExists(ready);
            } catch (IOException e) {
                e.printStackTrace();
            }
        }
    }

    /** Ports the kernel calls free now; a race with another process is possible but rare on loopback. */
    static int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
        return ports;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: Cluster --dir DIR [--nodes N] [--ready FILE]");
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }
}
