package io.qbosync.cluster;

import java.util.List;
import java.util.Optional;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * {@code qbosync.cluster.service=none}: this process leads every namespace as soon as the view starts, so
 * {@code master:} routes run exactly as their plain endpoint would. For one process, and for tests.
 */
public class SingleNodeClusterService extends AbstractCamelClusterService<CamelClusterView> {

    public SingleNodeClusterService() {
        setId("qbo-sync-single-node");
    }

    @Override
    protected CamelClusterView createView(String namespace) {
        return new View(this, namespace);
    }

    private static final class View extends AbstractCamelClusterView {

        private final CamelClusterMember local = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return View.this.isRunAllowed();
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return View.this.getClusterService().getId();
            }
        };

        View(SingleNodeClusterService service, String namespace) {
            super(service, namespace);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return local.isLeader() ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        @Override
        protected void doStart() {
            fireLeadershipChangedEvent(local);
        }

        @Override
        protected void doStop() {
            fireLeadershipChangedEvent((CamelClusterMember) null);
        }
    }
}
