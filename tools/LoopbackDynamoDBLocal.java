import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local exactly as its own main() does, but binds the HTTP connector to
 * loopback only (DynamoDB Local has no host flag and otherwise listens on every interface).
 * With -Dddb.exitOnStdinEof=true it exits when its parent dies (the parent holds our stdin).
 */
public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("ddb.host", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    for (Connector c : ((Server) field.get(proxy)).getConnectors()) {
      if (c instanceof ServerConnector) ((ServerConnector) c).setHost(host);
    }
    proxy.start();
    if (Boolean.getBoolean("ddb.exitOnStdinEof")) {
      Thread watchdog = new Thread(() -> {
        try { while (System.in.read() != -1) { } } catch (Exception ignored) { }
        System.exit(0);
      });
      watchdog.setDaemon(true);
      watchdog.start();
    }
    System.out.println("DynamoDB Local listening on " + host);
  }
}
